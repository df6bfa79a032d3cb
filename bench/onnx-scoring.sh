#!/usr/bin/env bash
# Subnet scoring with the validation pass in DL4J against ONNX Runtime (issue 20): the same feasible candidates of
# a trained supernet's cell, side by side in one process, medians over repetitions; same mAP expected within 1e-3.
# Writes docs/bench/onnx-scoring.json (ONNX_SCORING_RECORD to write elsewhere).
#   bench/onnx-scoring.sh CHECKPOINT [CANDIDATES=8] [REPETITIONS=3] [--set key=value ...]
set -euo pipefail
BENCH_HEAP=8g exec "$(dirname "$0")/driver-main.sh" io.sparknas.bench.OnnxScoringBenchmark \
  "${ONNX_SCORING_RECORD:-docs/bench/onnx-scoring.json}" "$@"
