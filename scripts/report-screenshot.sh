#!/usr/bin/env bash
# Opens a SparkNAS HTML report in headless Chromium and saves a full-page screenshot, to check by eye that every
# plot renders (axes with units, budget lines).
#   scripts/report-screenshot.sh RUN/report.html [OUT.png] [HEIGHT]
# Needs Debian's chromium (apt-get install chromium).
set -euo pipefail
report="${1:?usage: scripts/report-screenshot.sh REPORT.html [OUT.png] [HEIGHT]}"
out="${2:-${report%.html}.png}"
height="${3:-4200}"
[[ -f "$report" ]] || { echo "report-screenshot: no such file: $report" >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || true)"
[[ -n "$browser" ]] || { echo "report-screenshot: chromium is not installed (apt-get install chromium)" >&2; exit 2; }
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,"$height" \
  --screenshot="$(realpath -m "$out")" "file://$(realpath "$report")" 2>/dev/null
[[ -s "$out" ]] || { echo "report-screenshot: chromium wrote no screenshot" >&2; exit 1; }
echo "screenshot: $out ($(stat -c %s "$out") bytes)"
