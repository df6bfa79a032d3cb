#!/usr/bin/env bash
# The default run's found model against its baseline over several seeds (issue 23): 'bin/sparknas finalize' of a
# finished default run (bench/default-run.sh leaves its clone in a temporary folder and names the run folder in its
# record) with --seeds N, which reuses the trainings of the seeds it already has and trains the others with the same
# settings, views and teacher; then writes docs/bench/default-run-seeds.json (DEFAULT_RUN_SEEDS_RECORD to write
# elsewhere): per seed the found model's and the baseline's test mAP@0.5 (fp32 and int8, without distillation, and
# the found model's with distillation), found − baseline and the distillation gain, and their mean ± std over seeds.
#   bench/default-run-seeds.sh RUN_DIR [SEEDS]     (RUN_DIR: .../clone/results/search-…; SEEDS: 3 by default)
# Run it on an otherwise idle machine if the minutes are to be read; the mAPs do not depend on it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
run_dir="$(cd "${1:?usage: bench/default-run-seeds.sh RUN_DIR [SEEDS]}" && pwd)"
seeds="${2:-3}"
record="${DEFAULT_RUN_SEEDS_RECORD:-$repo/docs/bench/default-run-seeds.json}"
clone="$(dirname "$(dirname "$run_dir")")"
[ -x "$clone/bin/sparknas" ] || { echo "$run_dir is not in a clone of this repository (no $clone/bin/sparknas)" >&2; exit 2; }
[ -d "$run_dir/final_models" ] || { echo "$run_dir has no final_models/: finalize it first" >&2; exit 2; }
start=$(date +%s)
(cd "$clone" && bin/sparknas finalize --run "$(basename "$run_dir")" --output "$(dirname "$run_dir")" \
  --seeds "$seeds")
wall=$(( $(date +%s) - start ))
work="$(mktemp -d)"
"$repo/scripts/python-venv.sh" "$work/venv" pyarrow > /dev/null
"$work/venv/bin/python" - "$record" "$run_dir" "$seeds" "$wall" "$clone" "$repo" <<'PY'
import json, os, statistics, sys
import pyarrow.parquet as pq
record, run_dir, seeds, wall, clone, repo = sys.argv[1:]
rows = pq.read_table(os.path.join(run_dir, "final_models")).to_pylist()
def by_seed(rank):
    return {r["seed"]: r for r in rows if r["rank"] == rank}
found, baseline = by_seed(1), by_seed(0)
common = sorted(set(found) & set(baseline))
if len(common) < int(seeds):
    sys.exit(f"final_models of {run_dir} holds {len(common)} seeds with both models, {seeds} asked for")
per_seed = []
for s in common:
    f, b = found[s], baseline[s]
    per_seed.append({
        "seed": s,
        "found_test_map50_without_kd": f["test_map50_without_kd"],
        "found_int8_test_map50_without_kd": f.get("int8_test_map50_without_kd"),
        "found_test_map50_with_kd": f["test_map50_with_kd"],
        "baseline_test_map50": b["test_map50_without_kd"],
        "baseline_int8_test_map50": b.get("int8_test_map50_without_kd"),
        "found_minus_baseline": f["test_map50_without_kd"] - b["test_map50_without_kd"],
        "distillation_gain": f["test_map50_with_kd"] - f["test_map50_without_kd"],
        "found_minutes_without_kd": round(f["seconds_without_kd"] / 60, 2),
        "baseline_minutes": round(b["seconds_without_kd"] / 60, 2),
    })
def summary(key):
    values = [p[key] for p in per_seed]
    return {"mean": statistics.mean(values), "std": statistics.stdev(values) if len(values) > 1 else 0.0}
sys.path.insert(0, os.path.join(repo, "bench"))
from bench_record import provenance
any_row = next(iter(found.values()))
result = {
    **provenance("default-run-seeds", f"bench/default-run-seeds.sh RUN_DIR {seeds}", clone,
                 {"run": os.path.basename(run_dir), "seeds": int(seeds), "epochs": any_row["epochs"],
                  "found_architecture": any_row["architecture"],
                  "baseline_architecture": next(iter(baseline.values()))["architecture"]}),
    "finalize_wall_minutes": round(int(wall) / 60, 2),
    "per_seed": per_seed,
    **{k: summary(k) for k in ("found_test_map50_without_kd", "found_test_map50_with_kd", "baseline_test_map50",
                               "found_minus_baseline", "distillation_gain")},
}
with open(record, "w") as out:
    json.dump(result, out, indent=2)
    out.write("\n")
for key in ("found_test_map50_without_kd", "baseline_test_map50", "found_minus_baseline", "distillation_gain"):
    print(f"{key}: {result[key]['mean']:.4f} ± {result[key]['std']:.4f}  "
          + " ".join(f"{p[key]:.4f}" for p in per_seed))
print("record:", record)
PY
