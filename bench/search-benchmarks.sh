#!/usr/bin/env bash
# Search benchmarks, recorded in docs/benchmarks.md:
#   1. subnet evaluations per minute through Spark, local[1] against local[2], side by side in one JVM;
#   2. GA against random search with the same seed and budget, on one trained supernet;
#   3. per-generation overhead outside scoring, from the searches' progress lines.
#   bench/search-benchmarks.sh SUPERNET_CKPT [CANDIDATES] [REPETITIONS] [GENERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
ckpt="${1:?usage: bench/search-benchmarks.sh SUPERNET_CKPT [CANDIDATES] [REPETITIONS] [GENERATIONS]}"
candidates="${2:-12}"; reps="${3:-3}"; generations="${4:-6}"
mvn -B -q -Dstyle.color=never install -DskipTests
mvn -B -q -Dstyle.color=never -f driver/pom.xml test-compile
# shellcheck source=bench/classpath.sh
source bench/classpath.sh
cp="$(module_classpath driver/pom.xml)"
opens="$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' pom.xml)"
run_java() { java -Xmx8g $opens -cp "driver/target/classes:driver/target/test-classes:executors/target/classes:executors/target/test-classes:$cp" "$@"; }
echo "== evaluations per minute"
run_java io.sparknas.bench.ScoringThroughput "$ckpt" "$candidates" "$reps" 2>/dev/null | grep -v '^[0-9:]* \(WARN\|INFO\)'
out="bench-results"
for mode in ga random; do
  echo "== search --mode $mode"
  bin/sparknas search --supernet "$ckpt" --mode "$mode" --generations "$generations" --output "$out" \
    --run-id "bench-$mode-$(date +%s)" --set final.after-search=false 2>/dev/null | tee "$out-$mode.log" | grep -E '^(generation|run )'
done
echo "== GA against random at the same number of evaluations"
run_java io.sparknas.bench.SearchComparison $(ls -d "$out"/bench-ga-* | tail -1) $(ls -d "$out"/bench-random-* | tail -1) \
  2>/dev/null | grep -v '^[0-9:]* \(WARN\|INFO\)'
echo "== per-generation overhead outside scoring (generation seconds - scoring seconds)"
grep -hoE '[0-9.]+s \(scoring [0-9.]+s\)' "$out-ga.log" "$out-random.log" \
  | sed -E 's/([0-9.]+)s \(scoring ([0-9.]+)s\)/\1 \2/' | awk '{printf "%.1f\n", $1 - $2}' | sort -n \
  | awk '{v[NR]=$1} END {if (NR) printf "median %.1f s over %d generations (min %.1f, max %.1f)\n", v[int((NR+1)/2)], NR, v[1], v[NR]}'
