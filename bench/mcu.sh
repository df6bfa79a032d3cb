#!/usr/bin/env bash
# The final models of a run on a Cortex-M7 (issue 22): scripts/mcu-check.sh on every C export in RUN/models/
# (NAME-c/, written by finalize), gathered with provenance into docs/bench/mcu.json (MCU_RECORD to write elsewhere).
# The record's top-level figures are those of the first export in name order (the plain model of rank 1, seed 1);
# every export's figures are under "models".
#   bench/mcu.sh RUN_ID [RESULTS_DIR]      (RESULTS_DIR default: results)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/mcu.sh RUN_ID [RESULTS_DIR]" >&2; exit 2; }
run="$1"
results="${2:-results}"
record="${MCU_RECORD:-docs/bench/mcu.json}"
exports=("$results/$run"/models/*-c)
[ -d "${exports[0]}" ] || { echo "bench/mcu.sh: no C export in $results/$run/models/ (finalize the run first)" >&2; exit 2; }
out="$(mktemp -d)"
for dir in "${exports[@]}"; do
  echo "== $(basename "$dir")"
  scripts/mcu-check.sh "$dir" --json "$out/$(basename "$dir").json"
done
python3 - "$record" "$out" "$run" "$results" "$0 $*" <<'PY'
import datetime, json, os, subprocess, sys
record, out, run, results, command = sys.argv[1:]
models = []
for name in sorted(os.listdir(out)):
    figures = json.load(open(os.path.join(out, name)))
    figures["export"] = os.path.join(results, run, "models", name[:-len(".json")])
    models.append(figures)
first = models[0]
revision = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
tools = {tool: subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
         for tool in ("arm-none-eabi-gcc", "qemu-system-arm", "gcc")}
keys = ("arena_bytes", "planned_peak_bytes", "arena_over_planned_peak", "flash_bytes", "modeled_flash_bytes",
        "flash_difference_bytes", "flash_difference_cause", "code_bytes", "macs", "instructions_per_inference",
        "instructions_per_mac")
result = {
    "benchmark": "mcu",
    "command": command,
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "git_revision": revision,
    "cores": os.cpu_count(),
    "parameters": {"run": run, "board": "QEMU mps2-an500 (Cortex-M7), -icount shift=0",
                   "flags": "arm-none-eabi-gcc -mcpu=cortex-m7 -mthumb -mfpu=fpv5-sp-d16 -mfloat-abi=hard -O2",
                   "tools": tools},
    "model": first["export"],
    "bit_exact": all(m["bit_exact"] and m["host_bit_exact"] for m in models),
    **{key: first[key] for key in keys},
    "models": models,
}
with open(record, "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")
print(f"wrote {record}: {len(models)} exports, bit exact {result['bit_exact']}, arena {first['arena_bytes']} "
      f"(planned {first['planned_peak_bytes']}), {first['instructions_per_mac']} instructions per MAC")
PY
