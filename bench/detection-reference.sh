#!/usr/bin/env bash
# PyTorch reference of the detector (bench/detection-reference/reference.py): for each architecture, exports our
# DL4J network with random weights and BatchNorm statistics (ReferenceExport, executors test code), rebuilds it in
# PyTorch from the export and checks that both give the same raw output on one image; then, on one augmented
# training batch, that the PyTorch port of our augmentation, targets and YOLO loss (yolo.py) gives the same input,
# labels, loss and loss gradient. Prints the largest differences per architecture and exits non-zero on a
# mismatch. A benchmark tool: nothing in the build needs torch.
#   bench/detection-reference.sh [ARCH ...]
# ARCH: an architecture file, FILE@PX for another input side, or sample:N for the N-th random architecture of the
# default space. Default: examples/arch-small.json@128 sample:1 sample:2 sample:3 (standard, depthwise-separable and
# MBConv blocks, kernels 3-7, skips, 80-128 px).
# Writes its figures to docs/bench/detection-reference.json (REFERENCE_RECORD to write elsewhere).
# Installs python3-torch with apt when /usr/bin/python3 lacks it. Set MVN_OFFLINE=1 to build without network access
# (mvn -o), REFERENCE_OUT to keep the exports elsewhere than target/detection-reference.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/detection-reference/setup.sh

archs=("$@")
[[ ${#archs[@]} -eq 0 ]] && archs=(examples/arch-small.json@128 sample:1 sample:2 sample:3)
out="${REFERENCE_OUT:-target/detection-reference}"
failed=0
exports=()
for arch in "${archs[@]}"; do
  name="$(basename "${arch%@*}" .json)"
  name="${name//:/-}"
  [[ "$arch" == *@* ]] && name+="-${arch##*@}"
  case "$arch" in
    sample:*) options=(--sample="${arch#sample:}") ;;
    *@*) options=(--arch="${arch%@*}" --resolution="${arch##*@}") ;;
    *) options=(--arch="$arch") ;;
  esac
  executors_main io.sparknas.bench.ReferenceExport "${options[@]}" --batch=8 --out="$out/$name" | grep '^exported'
  "$REFERENCE_PYTHON" bench/detection-reference/reference.py check "$out/$name" || failed=1
  "$REFERENCE_PYTHON" bench/detection-reference/reference.py check-batch "$out/$name" || failed=1
  exports+=("$out/$name")
done
"$REFERENCE_PYTHON" bench/detection-reference/reference.py record "${REFERENCE_RECORD:-docs/bench/detection-reference.json}" \
  --command-line "bench/detection-reference.sh ${archs[*]}" "${exports[@]}"
exit "$failed"
