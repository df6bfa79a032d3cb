#!/usr/bin/env bash
# The README's main command as a new user runs it (issue 23): a fresh clone of this repository, then
# 'bin/sparknas search' with no option, timed end to end; writes docs/bench/default-run.json (DEFAULT_RUN_RECORD to
# write elsewhere): wall time in total and per stage (from the run's console lines), the final model's fp32 and
# int8 test mAP@0.5 (final_models/, read with pyarrow in a virtual environment from the machine's package index),
# its peak SRAM, Flash and latency against the target's budgets (run.json), the MobileNetV2-style baseline's test
# mAP@0.5, and the distillation gain. Run it on an otherwise idle machine: the wall time is the figure.
#   bench/default-run.sh [--record-only RUN_DIR CONSOLE_LOG WALL_SECONDS]   (the second form records a finished run)
# The run ends by writing its report.html; with chromium installed the script also saves its screenshot.
# Set MVN_OFFLINE=1 to build the clone without network access.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
record="${DEFAULT_RUN_RECORD:-$repo/docs/bench/default-run.json}"
work="$(mktemp -d)"
if [ "${1:-}" = "--record-only" ]; then
  run_dir="$2"; log="$3"; wall="$4"; command="(recorded from an existing run: $run_dir)"
else
  git clone -q "$repo" "$work/clone"
  [[ "${MVN_OFFLINE:-0}" == 1 ]] && export SPARKNAS_MAVEN_ARGS="-o"
  log="$work/console.log"
  start=$(date +%s)
  (cd "$work/clone" && bin/sparknas search) 2>&1 | tee "$log"
  wall=$(( $(date +%s) - start ))
  run_dir="$work/clone/results/$(sed -n 's/^run \(search-[^ ]*\) -> .*/\1/p' "$log" | head -1)"
  command="git clone; bin/sparknas search"
fi
"$repo/scripts/python-venv.sh" "$work/venv" pyarrow > /dev/null
"$work/venv/bin/python" - "$record" "$run_dir" "$log" "$wall" "$command" "$repo" <<'PY'
import json, os, re, sys
import pyarrow.parquet as pq
record, run_dir, log, wall, command, repo = sys.argv[1:]
console = open(log).read()
def minutes(pattern, unit_seconds=False):
    m = re.search(pattern, console)
    if not m:
        return None
    if len(m.groups()) == 2:
        return round(int(m.group(1) or 0) + int(m.group(2)) / 60, 2)
    value = float(m.group(1))
    return round(value / 60 if unit_seconds else value, 2)
stages = {
    "stage1_space_selection": minutes(r"stage 1: \d+ cells x \d+ samples in ([\d.]+) s", True),
    "supernet": minutes(r"supernet: trained in ([\d.]+) min"),
    "search": minutes(r"generation \d+/(?:\d+) .*elapsed (?:(\d+)m)?(\d+)s  eta 0s"),
    "teacher": minutes(r"teacher: best val mAP@0.5 [\d.]+ \(epoch \d+\) in (?:(\d+)m)?(\d+)s"),
    "final_trainings": minutes(r"finalize: \d+ trainings in ([\d.]+) min"),
}
manifest = json.load(open(os.path.join(run_dir, "run.json")))
target = manifest["target"]
rows = pq.read_table(os.path.join(run_dir, "final_models")).to_pylist()
found = [r for r in rows if r["rank"] == 1]
baseline = [r for r in rows if r["rank"] == 0]
def best(r):
    return max(r["test_map50_without_kd"], r["test_map50_with_kd"])
model = max(found, key=best)
deployed = "with_kd" if model["val_map50_with_kd"] > model["val_map50_without_kd"] else "without_kd"
budget_sram = target["sram_bytes"] - target["runtime_sram_bytes"]
fits = model["peak_sram"] <= budget_sram and model["flash_bytes"] <= target["flash_bytes"] and \
    model["latency_ms"] <= target["latency_budget_ms"]
sys.path.insert(0, os.path.join(repo, "bench"))
from bench_record import provenance
clone = os.path.dirname(os.path.dirname(os.path.abspath(run_dir)))
result = {
    # the revision of the clone that made the run (the repository's own when it is not in a clone)
    **provenance("default-run", command, clone if os.path.isdir(os.path.join(clone, ".git")) else repo,
                 {"run": os.path.basename(run_dir), "target": target["name"],
                  "memory_plan": target["memory_plan"]}),
    "wall_minutes": round(int(wall) / 60, 2),
    "stage_minutes": stages,
    "architecture": model["architecture"],
    "macs": model["macs"],
    "final_fp32_test_map50": model["test_map50_" + deployed],
    "final_int8_test_map50": model.get("int8_test_map50_" + deployed),
    "deployed_variant": deployed,
    "final_test_map50_without_kd": model["test_map50_without_kd"],
    "final_test_map50_with_kd": model["test_map50_with_kd"],
    "distillation_gain": model["test_map50_with_kd"] - model["test_map50_without_kd"],
    "teacher_test_map50": model["teacher_test_map50"],
    "peak_sram_bytes": model["peak_sram"], "sram_budget_bytes": budget_sram,
    "flash_bytes": model["flash_bytes"], "flash_budget_bytes": target["flash_bytes"],
    "latency_ms": model["latency_ms"], "latency_budget_ms": target["latency_budget_ms"],
    "fits_target": fits,
    "baseline_architecture": baseline[0]["architecture"] if baseline else None,
    "baseline_test_map50": baseline[0]["test_map50_without_kd"] if baseline else None,
    "baseline_int8_test_map50": baseline[0].get("int8_test_map50_without_kd") if baseline else None,
    "baseline_minutes": round(baseline[0]["seconds_without_kd"] / 60, 2) if baseline else None,
    "found_minus_baseline_without_kd": model["test_map50_without_kd"] - baseline[0]["test_map50_without_kd"]
    if baseline else None,
    "exports": {k: model.get(k + "_" + deployed) for k in ("onnx", "onnx_int8", "c_model")},
    "report": os.path.join(run_dir, "report.html") if os.path.isfile(os.path.join(run_dir, "report.html")) else None,
}
with open(record, "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")
print(json.dumps({k: result[k] for k in ("wall_minutes", "stage_minutes", "final_fp32_test_map50",
                                         "final_int8_test_map50", "baseline_test_map50", "fits_target",
                                         "found_minus_baseline_without_kd", "distillation_gain")}, indent=1))
PY
# The report's screenshot (docs/default-run-report.png; DEFAULT_RUN_SCREENSHOT to write elsewhere), where chromium is
# installed (apt-get install chromium): the whole page, 1280 pixels wide.
screenshot="${DEFAULT_RUN_SCREENSHOT:-$repo/docs/default-run-report.png}"
if [ -f "$run_dir/report.html" ] && command -v chromium > /dev/null; then
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,8600 \
    --screenshot="$screenshot" "file://$run_dir/report.html" 2> /dev/null && echo "report screenshot: $screenshot"
else
  echo "report screenshot: not taken (no report.html in the run, or chromium is not installed)"
fi
