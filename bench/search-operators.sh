#!/usr/bin/env bash
# The search operators without training (issue 17): ga, aging and random search over the default space and target,
# each over several seeds at budgets of 16, 64 and 256 scored candidates, against the TinyNAS proxy (the MACs of an
# architecture that fits) whose optimum is found first by long runs and local search. Writes
# docs/bench/search-operators.json (SEARCH_OPERATORS_RECORD to write elsewhere); a few minutes on one core.
#   bench/search-operators.sh [--seeds N] [--budgets 16,64,256] [--optimum-evaluations N] [--cell RESOLUTION WIDTH]
set -euo pipefail
BENCH_HEAP=4g exec "$(dirname "$0")/driver-main.sh" io.sparknas.bench.SearchOperatorsBenchmark \
  "${SEARCH_OPERATORS_RECORD:-docs/bench/search-operators.json}" "$@"
