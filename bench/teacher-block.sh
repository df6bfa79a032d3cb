#!/usr/bin/env bash
# How fast the ViT teacher's encoder block trains (issue 21): one block's forward and backward pass with attention
# from matrix products against ND4J's fused attention op, side by side, and whole training steps of the default
# teacher at one and four tokens per cell. Writes docs/bench/teacher-block.json. About two minutes.
#   bench/teacher-block.sh [RECORD] [--reps=15]
# Set MVN_OFFLINE=1 to build without network access; run with OMP_NUM_THREADS=1 to measure one core.
exec "$(dirname "$0")/executors-main.sh" io.sparknas.bench.TeacherBlockBenchmark "$@"
