#!/usr/bin/env bash
# fp32 against int8 (post-training quantization, QDQ ONNX) test mAP@0.5 of trained detectors (issue 20): the
# reference detectors of bench/detection-recipe.sh (examples/arch-small.json at 128 px on the digit set, 50 epochs,
# and on the built-in shapes set, 20 epochs), each exported by 'sparknas export --format onnx-int8' with min-max
# and percentile calibration on 256 training images; the export writes its figures beside the model, this script
# gathers them into docs/bench/quantization.json (QUANTIZATION_RECORD to write elsewhere). Needs the models of
# bench/detection-recipe.sh in RECIPE_CACHE (default bench-results/detection-recipe). Set MVN_OFFLINE=1 to build
# without network access.
# With --run RUN_ID, the best final model of that run (in RESULTS_DIR, default results: a default 'bin/sparknas
# search') is exported the same way ('sparknas export --run') and recorded beside them.
#   bench/quantization.sh [--calibration-images 256] [--run RUN_ID [--results DIR]]
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${RECIPE_CACHE:-bench-results/detection-recipe}"
record="${QUANTIZATION_RECORD:-docs/bench/quantization.json}"
images=256
run=""
results=results
arguments=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --calibration-images) images="$2"; shift 2 ;;
    --run) run="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    *) echo "bench/quantization.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
out=bench-results/quantization
mkdir -p "$out"
[[ "${MVN_OFFLINE:-0}" == 1 ]] && export SPARKNAS_MAVEN_ARGS="-o"
start=$(date +%s)
# The recipe models were trained before anchors were fitted to the labels, with the anchors then fixed in grid
# cells (0.8, 2.0, 4.5 at stride 16): at 128 px, these fractions of the side. The export must decode with them.
trained_anchors=(--set space.head.fit-anchors=false --set "space.head.anchor-boxes=[[0.1,0.1],[0.25,0.25],[0.5625,0.5625]]")
export_int8() {
  local name=$1; shift
  bin/sparknas export --model "$cache/$name/model.zip" --arch examples/arch-small.json --format onnx-int8 \
    --calibration-images "$images" --out "$out/$name-int8.onnx" "${trained_anchors[@]}" "$@" \
    | grep -E '^(int8|exported)'
}
export_int8 ours-digits --set data.source=voc --set "data.path=\"$cache/digits-voc\""
export_int8 ours-shapes
if [ -n "$run" ]; then
  bin/sparknas export --run "$run" --output "$results" --format onnx-int8 --calibration-images "$images" \
    --out "$out/run-$run-int8.onnx" | grep -E '^(final model|int8|exported)'
fi
python3 - "$record" "$out" "$images" "$(( $(date +%s) - start ))" "$run" "${arguments[@]}" <<'PY'
import json, os, subprocess, sys, datetime
record, out, images, seconds, run = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
names = {"ours-digits": "reference detector, digit set (examples/arch-small.json, 128 px, 50 epochs)",
         "ours-shapes": "reference detector, shapes set (examples/arch-small.json, 128 px, 20 epochs)"}
if run:
    names["run-" + run] = f"a default run's final model, built-in set ({run}, rank 1)"
models = []
for key, name in names.items():
    figures = json.load(open(os.path.join(out, key + "-int8.onnx.json")))
    chosen = figures["int8"][figures["chosen"]]
    models.append({"name": name, "architecture": figures["architecture"], "calibration": figures["chosen"],
                   "fp32_val_map50": figures["fp32_val_map50"], "fp32_test_map50": figures["fp32_test_map50"],
                   "int8_val_map50": chosen["val_map50"], "int8_test_map50": chosen["test_map50"],
                   "int8_drop": figures["fp32_test_map50"] - chosen["test_map50"], "methods": figures["int8"],
                   "int8_bytes": os.path.getsize(os.path.join(out, key + "-int8.onnx"))})
revision = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
doc = {"benchmark": "quantization", "command": "bench/quantization.sh " + " ".join(sys.argv[6:]),
       "date": datetime.datetime.now(datetime.timezone.utc).isoformat(), "git_revision": revision or "unknown",
       "cores": os.cpu_count(), "parameters": {"calibration_images": images, "seconds": seconds, "run": run or None},
       "models": models, "largest_int8_drop": max(m["int8_drop"] for m in models)}
os.makedirs(os.path.dirname(record), exist_ok=True)
json.dump(doc, open(record, "w"), indent=2)
print(f"wrote {record}: " + "; ".join(f"{m['name'].split(',')[0].strip()}: fp32 {m['fp32_test_map50']:.4f} int8 "
      f"{m['int8_test_map50']:.4f} ({m['calibration']})" for m in models))
PY
