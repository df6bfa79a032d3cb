#!/usr/bin/env bash
# Trains the PyTorch reference of a detector (bench/detection-reference/reference.py train) on a VOC folder, with
# our augmentation, targets, loss, warm-up cosine schedule and Adam with weight decay, starting from our network's
# initial weights (ReferenceExport with the folder's class count); with --ours, then trains our DL4J detector on the
# same folder (bin/sparknas train) for a side-by-side reading of the per-epoch losses.
#   bench/detection-reference-train.sh VOC_DIR [ARCH_FILE] [--ours] [reference.py train options...]
# VOC_DIR as written by: bin/sparknas data synth --set data.source=synthetic-real --out VOC_DIR --format voc
# ARCH_FILE defaults to examples/arch-small.json. Options such as --epochs 1 --batch-size 16 --limit 64 go to
# reference.py train (see its --help); --ours passes --epochs and --batch-size to train.* and reads the whole
# folder (--limit is the reference's only, so write a small set instead). Set MVN_OFFLINE=1 to build offline.
set -euo pipefail
cd "$(dirname "$0")/.."
voc="${1:?usage: bench/detection-reference-train.sh VOC_DIR [ARCH_FILE] [--ours] [train options...]}"
shift
arch=examples/arch-small.json
if [[ $# -gt 0 && "$1" != --* ]]; then
  arch="$1"
  shift
fi
ours=0
options=()
epochs=1
batch=32
while [[ $# -gt 0 ]]; do
  case "$1" in
    --ours) ours=1 ;;
    --epochs) epochs="$2"; shift ;;
    --batch-size) batch="$2"; shift ;;
    *) options+=("$1") ;;
  esac
  shift
done
source bench/detection-reference/setup.sh

out="${REFERENCE_OUT:-target/detection-reference}/train-$(basename "$arch" .json)"
classes="$(grep -c . "$voc/classes.txt")"
executors_main io.sparknas.bench.ReferenceExport --arch="$arch" --classes="$classes" --out="$out" | grep '^exported'
echo "PyTorch reference:"
"$REFERENCE_PYTHON" bench/detection-reference/reference.py train "$out" "$voc" --epochs "$epochs" --batch-size "$batch" \
  "${options[@]}"
if [[ "$ours" == 1 ]]; then
  echo "ours (DL4J):"
  SPARKNAS_MAVEN_ARGS="${SPARKNAS_MAVEN_ARGS:-${reference_offline[*]}}" bin/sparknas train --arch "$arch" \
    --out "$out/ours" --set data.source=voc --set "data.path=\"$(cd "$voc" && pwd)\"" --set "train.epochs=$epochs" \
    --set "train.batch-size=$batch" 2>&1 | grep -E '^(epoch|val|test|early)' || true
fi
