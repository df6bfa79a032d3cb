#!/usr/bin/env bash
# CI check of the analysis notebook: a tiny SparkNAS run (search and finalize), the notebook's pinned Python
# packages in a virtual environment, the notebook executed headless against the run, and its outputs checked:
# no errors, and its plots present.
#   scripts/notebook-check.sh [WORK_DIR]
# pip reads the machine's own package index when pip's configuration names one (global.extra-index-url, a local
# file:// index on these machines), so nothing waits on an index it cannot reach.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
echo "notebook check in $work"

bin/sparknas search --output "$work" --run-id ci-tiny --population 4 --generations 1 \
  --config scripts/tiny-search.conf > "$work/search.log" 2>&1 \
  || { tail -40 "$work/search.log"; exit 1; }
grep -E '^(generation|finalize|teacher)' "$work/search.log" || true

python3 -m venv "$work/venv"
indexes="$(python3 -m pip config get global.extra-index-url 2>/dev/null || true)"
index_args=()
if [[ -n "$indexes" ]]; then
  read -r -a urls <<< "$indexes"
  index_args=(--index-url "${urls[0]}")
  for url in "${urls[@]:1}"; do index_args+=(--extra-index-url "$url"); done
fi
"$work/venv/bin/pip" install -q "${index_args[@]}" -r notebooks/requirements.txt 2> >(grep -v 'is ignored: it is neither' >&2)

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
