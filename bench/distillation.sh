#!/usr/bin/env bash
# Knowledge distillation (issue 21): the ViT teacher trained on the synthetic set, then one candidate trained to
# convergence with and without distillation for several seeds, and an ablation per loss term; writes
# docs/bench/distillation.json. Every unit (teacher epochs, each student training) is cached under
# bench-results/distillation/, so a run cut short continues where it stopped when started again.
# Arguments are passed through as --name=value (see DistillationBenchmark).
# Two cores: start it twice on the same cache, one with --teacher-first=true; the two processes share the units
# (each claims the one it trains with a UNIT.claim file holding its process id; a dead process's claim is taken over)
# and both write the same record once every unit is done.
#   bench/distillation.sh [--arch=bench/best-default-search.json] [--seeds=3] [--student-epochs=30] ...
# Set MVN_OFFLINE=1 to build without network access (mvn -o). On a machine shared with other jobs, run with
# OMP_NUM_THREADS=1: ND4J's OpenMP threads spin-wait for each other, and with fewer free cores than threads a
# training step can take 10-20x longer (measured on the 2-core machine while tests ran beside it).
exec "$(dirname "$0")/executors-main.sh" io.sparknas.bench.DistillationBenchmark "$@"
