#!/usr/bin/env bash
# A Python virtual environment for the CI checks, its packages from the machine's own package index when pip's
# configuration names one (global.extra-index-url, a local file:// index on these machines), so nothing waits on an
# index it cannot reach.
#   scripts/python-venv.sh DIR PIP_INSTALL_ARGS...      (e.g. DIR -r notebooks/requirements.txt, or DIR onnx)
set -euo pipefail
dir="${1:?usage: scripts/python-venv.sh DIR PIP_INSTALL_ARGS...}"
shift
python3 -m venv "$dir"
indexes="$(python3 -m pip config get global.extra-index-url 2>/dev/null || true)"
index_args=()
if [[ -n "$indexes" ]]; then
  read -r -a urls <<< "$indexes"
  index_args=(--index-url "${urls[0]}")
  for url in "${urls[@]:1}"; do index_args+=(--extra-index-url "$url"); done
fi
"$dir/bin/pip" install -q "${index_args[@]}" "$@" 2> >(grep -v 'is ignored: it is neither' >&2)
