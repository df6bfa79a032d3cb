#!/usr/bin/env bash
# CI check of the ONNX exports: a tiny model trained for one epoch, exported as fp32 ONNX and as int8 QDQ ONNX,
# (and as C into WORK_DIR/model-c, which .ci/run hands to scripts/mcu-check.sh), both ONNX files checked by the ONNX project's own checker (onnx.checker.check_model, full check with shape inference) in a
# virtual environment from the machine's package index (scripts/python-venv.sh).
#   scripts/onnx-check.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
echo "ONNX check in $work"

bin/sparknas train --arch examples/arch-small.json --epochs 1 --out "$work/model" --config scripts/tiny-search.conf \
  > "$work/train.log" 2>&1 || { tail -40 "$work/train.log"; exit 1; }
for format in onnx onnx-int8; do
  bin/sparknas export --model "$work/model/model.zip" --arch examples/arch-small.json --format "$format" \
    --calibration-images 16 --config scripts/tiny-search.conf --out "$work/model-$format.onnx" \
    > "$work/export-$format.log" 2>&1 || { tail -40 "$work/export-$format.log"; exit 1; }
  grep -E '^(int8|exported)' "$work/export-$format.log"
done

# The same model as C for a microcontroller, for scripts/mcu-check.sh "$work/model-c".
bin/sparknas export --model "$work/model/model.zip" --arch examples/arch-small.json --format c \
  --calibration-images 16 --check-images 4 --config scripts/tiny-search.conf --out "$work/model-c" \
  > "$work/export-c.log" 2>&1 || { tail -40 "$work/export-c.log"; exit 1; }
grep -E '^exported' "$work/export-c.log"

scripts/python-venv.sh "$work/venv" onnx
"$work/venv/bin/python" - "$work/model-onnx.onnx" "$work/model-onnx-int8.onnx" <<'PY'
import sys
import onnx
for path in sys.argv[1:]:
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    ops = sorted({node.op_type for node in model.graph.node})
    meta = {p.key for p in model.metadata_props}
    assert {"sparknas.architecture", "sparknas.classes", "sparknas.anchors"} <= meta, meta
    print(f"onnx check: {path}: opset {model.opset_import[0].version}, {len(model.graph.node)} nodes {ops}: valid")
PY
