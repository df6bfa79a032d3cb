#!/usr/bin/env bash
# The search operators without training (issue 17): ga, aging and random search over the default space and target,
# each over several seeds at budgets of 16, 64 and 256 scored candidates, against the TinyNAS proxy (the MACs of an
# architecture that fits) whose optimum is found first by long runs and local search. Writes
# docs/bench/search-operators.json (SEARCH_OPERATORS_RECORD to write elsewhere); a few minutes on one core.
#   bench/search-operators.sh [--seeds N] [--budgets 16,64,256] [--optimum-evaluations N] [--cell RESOLUTION WIDTH]
set -euo pipefail
cd "$(dirname "$0")/.."
offline=(); [[ "${MVN_OFFLINE:-0}" == 1 ]] && offline=(-o)
mvn -B -q "${offline[@]}" -Dstyle.color=never install -DskipTests
cp="$(mvn -B -q "${offline[@]}" -Dstyle.color=never -f driver/pom.xml dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout)"
java -Xmx4g -cp "driver/target/classes:driver/target/test-classes:$cp" io.sparknas.bench.SearchOperatorsBenchmark \
  "${SEARCH_OPERATORS_RECORD:-docs/bench/search-operators.json}" "$@" 2>/dev/null
