#!/usr/bin/env bash
# Data-parallel supernet training on Spark (issue 19): local[1] (2 threads, and 1 thread) against local[2] (two
# shards of the batch) for the same steps over the default search's cell, one JVM, side by side; subnet-images/s,
# loss per epoch, bytes moved and seconds communicating per step. Writes docs/bench/supernet-scaling.json
# (SUPERNET_SCALING_RECORD to write elsewhere). About 15 minutes on 2 cores with the defaults.
#   bench/supernet-scaling.sh [--epochs 4] [--steps 16] [--set supernet.batch-size=32 ...]
set -euo pipefail
BENCH_HEAP=8g exec "$(dirname "$0")/driver-main.sh" io.sparknas.bench.SupernetScalingBenchmark \
  "${SUPERNET_SCALING_RECORD:-docs/bench/supernet-scaling.json}" "$@"
