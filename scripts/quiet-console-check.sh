#!/usr/bin/env bash
# End-to-end check of the quiet console: a tiny 'sparknas search' that ends by training the ViT teacher (SameDiff
# prints 'Added differentiated op NAME' for every op it differentiates; ND4J warns about its op mappings), with its
# console output (stdout and stderr) saved. The console must show none of that chatter and no library WARN line;
# the run's logs/driver.log must hold it, and the search's last line must name that file. Exits 1 on failure.
#   scripts/quiet-console-check.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
run_id="quiet-$(date +%Y%m%d-%H%M%S)"
console="$work/$run_id.console.txt"
log="$work/$run_id/logs/driver.log"
echo "quiet console check: run $run_id in $work"

fail() {
  echo "quiet console check: FAILED: $*" >&2
  exit 1
}

start=$SECONDS
status=0
bin/sparknas search --output "$work" --run-id "$run_id" --population 4 --generations 1 \
  --config scripts/tiny-search.conf > "$console" 2>&1 || status=$?
seconds=$((SECONDS - start))
[[ $status -eq 0 ]] || { tail -40 "$console"; fail "the search exited with status $status"; }
[[ -f $log ]] || fail "no log file $log"

# Library lines on the console: SameDiff's prints, and WARN lines in the console layout ('HH:mm:ss WARN  Logger:')
# or JavaCPP's own ('Warning: ...').
console_ops=$(grep -c 'Added differentiated op' "$console" || true)
console_warns=$(grep -cE '^([0-9:]{8} WARN |Warning: )' "$console" || true)
log_ops=$(grep -c 'System.out: Added differentiated op' "$log" || true)
log_warns=$(grep -c ' WARN  \[' "$log" || true)
log_nd4j_warns=$(grep -c ' WARN  \[[^]]*\] org\.nd4j\.' "$log" || true)
echo "console: $(wc -l < "$console") lines, $console_ops 'Added differentiated op', $console_warns library WARN"
echo "driver.log: $(wc -l < "$log") lines, $log_ops 'Added differentiated op', $log_warns WARN ($log_nd4j_warns from ND4J)"
echo "search took ${seconds} s"

[[ $console_ops -eq 0 ]] || fail "SameDiff's 'Added differentiated op' lines reached the console ($console)"
[[ $console_warns -eq 0 ]] || fail "library WARN lines reached the console ($console)"
[[ $log_ops -gt 0 ]] || fail "no 'Added differentiated op' line in $log: did the teacher train?"
[[ $log_nd4j_warns -gt 0 ]] || fail "no ND4J WARN line in $log"
[[ "$(tail -n 1 "$console")" == "log: $log" ]] || fail "the last console line does not name $log"
echo "quiet console check: OK"
