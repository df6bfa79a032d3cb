#!/usr/bin/env bash
# Rank quality of the weight-sharing supernet: Kendall tau-b between inherited-weight and stand-alone
# val mAP@0.5 of architectures spread over one space cell's MAC range, with the supernet's training time and
# subnet evaluations per minute. Arguments are passed through as --name=value (see SupernetRankQuality).
#   bench/supernet-rank.sh [--resolution=96] [--epochs=12] [--architectures=10] ...
# Set MVN_OFFLINE=1 to build without network access (mvn -o). On a machine shared with other jobs, run with
# OMP_NUM_THREADS=1: ND4J's OpenMP threads spin-wait for each other, and with fewer free cores than threads a
# training step can take 10-20x longer (measured on the 2-core machine while tests ran beside it).
exec "$(dirname "$0")/executors-main.sh" io.sparknas.bench.SupernetRankQuality "$@"
