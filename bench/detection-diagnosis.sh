#!/usr/bin/env bash
# Where a trained detector fails on a built-in set: class-agnostic against class-aware AP, how many objects of each
# size some box covers, class accuracy and objectness at the responsible slots (DetectionDiagnosis, executors test
# code). Options are passed through as --name=value.
#   bench/detection-diagnosis.sh --model=runs/digits/model.zip [--source=synthetic-real] [--split=val] [--images=500]
# Set MVN_OFFLINE=1 to build without network access (mvn -o).
exec "$(dirname "$0")/executors-main.sh" io.sparknas.bench.DetectionDiagnosis "$@"
