#!/usr/bin/env bash
# What averaging a trained teacher with its mirror image does to its val and test mAP@0.5 (issue 21), side by side
# for each teacher model file of bench/distillation.sh given; writes docs/bench/teacher-flip.json. A few minutes.
#   bench/teacher-flip.sh --teachers=A.zip,B.zip [--out=docs/bench/teacher-flip.json]
# Set MVN_OFFLINE=1 to build without network access; OMP_NUM_THREADS=1 beside other jobs.
exec "$(dirname "$0")/executors-main.sh" io.sparknas.bench.TeacherFlipBenchmark "$@"
