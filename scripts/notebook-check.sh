#!/usr/bin/env bash
# CI check of the analysis notebook: a tiny SparkNAS run (search and finalize, whose ONNX exports must exist), the
# notebook's pinned Python packages in a virtual environment, the notebook executed headless against the run, and
# its outputs checked: no errors, and its plots present.
#   scripts/notebook-check.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
echo "notebook check in $work"

bin/sparknas search --output "$work" --run-id ci-tiny --population 4 --generations 1 \
  --config scripts/tiny-search.conf > "$work/search.log" 2>&1 \
  || { tail -40 "$work/search.log"; exit 1; }
grep -E '^(generation|finalize|teacher|final model)' "$work/search.log" || true
# finalize exports every final model beside its DL4J zip: fp32 ONNX and int8 QDQ ONNX
for suffix in .onnx .int8.onnx; do
  compgen -G "$work/ci-tiny/models/*-seed1$suffix" > /dev/null \
    || { echo "notebook check failed: finalize wrote no models/*$suffix"; ls -l "$work/ci-tiny/models"; exit 1; }
done

scripts/python-venv.sh "$work/venv" -r notebooks/requirements.txt

SPARKNAS_RESULTS="$work" SPARKNAS_RUN=ci-tiny "$work/venv/bin/jupyter" nbconvert --to notebook --execute \
  --allow-errors notebooks/sparknas-analysis.ipynb --output "$work/executed.ipynb" 2>&1 | grep -v 'without encryption' || true
"$work/venv/bin/python" - "$work/executed.ipynb" <<'PY'
import json, sys
notebook = json.load(open(sys.argv[1]))
outputs = [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
errors = [o for o in outputs if o.get("output_type") == "error"]
plots = [o for o in outputs if "image/png" in o.get("data", {})]
unexecuted = [c for c in notebook["cells"] if c["cell_type"] == "code" and c.get("execution_count") is None]
if errors or unexecuted or len(plots) < 3:
    sys.exit(f"notebook check failed: {len(errors)} errors {[e.get('evalue') for e in errors]}, "
             f"{len(unexecuted)} cells not executed, {len(plots)} plots (3 expected: Pareto fronts, progress, "
             "final models)")
print(f"notebook check: {sum(1 for c in notebook['cells'] if c['cell_type'] == 'code')} cells executed, "
      f"{len(plots)} plots, no errors")
PY
