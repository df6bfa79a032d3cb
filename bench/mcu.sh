#!/usr/bin/env bash
# A run's final model on a Cortex-M7 (issue 22): the best final model of RUN (rank 1, the variant with the better val
# mAP, as 'sparknas export --run' picks it) exported as C by the current code into bench-results/mcu/RUN-c, then
# scripts/mcu-check.sh on it; its figures with provenance into docs/bench/mcu.json (MCU_RECORD to write elsewhere).
# Set MVN_OFFLINE=1 to build without network access.
#   bench/mcu.sh RUN_ID [RESULTS_DIR]      (RESULTS_DIR default: results)
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: bench/mcu.sh RUN_ID [RESULTS_DIR]" >&2; exit 2; }
run="$1"
results="${2:-results}"
record="${MCU_RECORD:-docs/bench/mcu.json}"
[[ "${MVN_OFFLINE:-0}" == 1 ]] && export SPARKNAS_MAVEN_ARGS="-o"
model="bench-results/mcu/$run-c"
mkdir -p bench-results/mcu
bin/sparknas export --run "$run" --output "$results" --format c --out "$model" | grep -E '^(final model|int8|exported)'
out="$(mktemp -d)"
scripts/mcu-check.sh "$model" --json "$out/$run-c.json"
python3 - "$record" "$out" "$run" "$results" "$0 $*" <<'PY'
import json, os, subprocess, sys
record, out, run, results, command = sys.argv[1:]
models = []
for name in sorted(os.listdir(out)):
    figures = json.load(open(os.path.join(out, name)))
    figures["export"] = os.path.join("bench-results/mcu", name[:-len(".json")])
    models.append(figures)
first = models[0]
tools = {tool: subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
         for tool in ("arm-none-eabi-gcc", "qemu-system-arm", "gcc")}
keys = ("arena_bytes", "planned_peak_bytes", "arena_over_planned_peak", "flash_bytes", "modeled_flash_bytes",
        "flash_difference_bytes", "flash_difference_cause", "code_bytes", "macs", "instructions_per_inference",
        "instructions_per_mac")
sys.path.insert(0, "bench")
from bench_record import provenance
result = {
    **provenance("mcu", command, ".", {"run": run, "board": "QEMU mps2-an500 (Cortex-M7), -icount shift=0",
                                       "flags": "arm-none-eabi-gcc -mcpu=cortex-m7 -mthumb -mfpu=fpv5-sp-d16 "
                                                "-mfloat-abi=hard -O2", "tools": tools}),
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
