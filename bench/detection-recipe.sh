#!/usr/bin/env bash
# The detection recipe side by side: examples/arch-small.json at 128 px trained on the built-in digit set
# (data.source = synthetic-real, 3000/500/500 images, written once as a VOC folder so both trainers read the same
# files) by our trainer (bin/sparknas train) and by the PyTorch reference (bench/detection-reference/reference.py
# train: the same network from our initial weights, targets, loss, augmentation ranges, schedule and optimizer), for
# the same epochs; then our trainer on the built-in shapes set (20 epochs), whose figure must not drop. Writes
# docs/bench/detection-recipe.json (RECIPE_RECORD to write elsewhere).
#   bench/detection-recipe.sh [--epochs 50] [--shapes-epochs 20] [--only ours|pytorch|shapes|record]
# Resumable: every finished epoch of each training is checkpointed under RECIPE_CACHE (default
# bench-results/detection-recipe, ignored by git) and a rerun continues from there; finished trainings are not rerun
# (delete their folder to redo one). The trainings run one after another with both cores each (ours_minutes is our
# trainer's wall time on this machine). Installs python3-torch with apt when /usr/bin/python3 lacks it. Set
# MVN_OFFLINE=1 to build without network access.
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=50
shapes_epochs=20
only=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --epochs) epochs="$2"; shift ;;
    --shapes-epochs) shapes_epochs="$2"; shift ;;
    --only) only="$2"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
arch=examples/arch-small.json
cache="${RECIPE_CACHE:-bench-results/detection-recipe}"
mkdir -p "$cache"
cache="$(cd "$cache" && pwd)"
source bench/detection-reference/setup.sh
export SPARKNAS_MAVEN_ARGS="${SPARKNAS_MAVEN_ARGS:-${reference_offline[*]}}"

wants() { [[ -z "$only" || "$only" == "$1" ]]; }

data="$cache/digits-voc"
if [[ ! -f "$data/classes.txt" ]]; then
  rm -rf "$data.partial"
  bin/sparknas data synth --set data.source=synthetic-real --format voc --out "$data.partial" | grep '^wrote'
  mv "$data.partial" "$data"
fi

# Trains ours into OUT (resuming its checkpoint) unless OUT/training.json exists.
train_ours() {
  local out="$1"
  shift
  [[ -f "$out/training.json" ]] && { echo "ours: $out/training.json exists, kept"; return; }
  local resume=()
  [[ -f "$out/checkpoint/state.json" ]] && resume=(--resume)
  bin/sparknas train --arch "$arch" --out "$out" "${resume[@]}" "$@" --set train.patience=0 \
    | grep -E '^(resuming|epoch|best|model|figures|data|r[0-9])'
}

if wants ours; then
  echo "== ours on the digit set, $epochs epochs"
  train_ours "$cache/ours-digits" --epochs "$epochs" --set data.source=voc --set "data.path=\"$data\""
fi

if wants pytorch; then
  echo "== PyTorch reference on the digit set, $epochs epochs"
  torch_out="$cache/pytorch-digits"
  if [[ ! -f "$torch_out/result.json" ]]; then
    classes="$(grep -c . "$data/classes.txt")"
    [[ -f "$torch_out/export/network.json" ]] || executors_main io.sparknas.bench.ReferenceExport --arch="$arch" \
      --classes="$classes" --seed=42 --out="$torch_out/export" | grep '^exported'
    "$REFERENCE_PYTHON" bench/detection-reference/reference.py check "$torch_out/export"
    REFERENCE_THREADS="${REFERENCE_THREADS:-$(nproc)}" "$REFERENCE_PYTHON" bench/detection-reference/reference.py \
      train "$torch_out/export" "$data" --epochs "$epochs" --checkpoint "$torch_out/checkpoint" \
      --result "$torch_out/result.json.partial"
    mv "$torch_out/result.json.partial" "$torch_out/result.json"
  else
    echo "pytorch: $torch_out/result.json exists, kept"
  fi
fi

if wants shapes; then
  echo "== ours on the shapes set, $shapes_epochs epochs"
  train_ours "$cache/ours-shapes" --epochs "$shapes_epochs"
fi

if wants record; then
  "$REFERENCE_PYTHON" bench/detection-recipe/record.py "${RECIPE_RECORD:-docs/bench/detection-recipe.json}" "$cache" \
    --epochs "$epochs" --shapes-epochs "$shapes_epochs" \
    --command-line "bench/detection-recipe.sh --epochs $epochs --shapes-epochs $shapes_epochs"
fi
