#!/usr/bin/env bash
# Detector training and inference throughput with ND4J's plain build and with its oneDNN AVX2 build, side by
# side in one run. Each configuration runs in its own JVM on the same compiled classes.
#   bench/nd4j-backends.sh [ARCH_FILE] [BATCH] [WARMUP] [REPS]
set -euo pipefail
cd "$(dirname "$0")/.."
arch="${1:-examples/arch-small.json}"; batch="${2:-32}"; warmup="${3:-2}"; reps="${4:-7}"
mvn -B -q -Dstyle.color=never install -DskipTests
# shellcheck source=bench/classpath.sh
source bench/classpath.sh
classpath() {
  module_classpath executors/pom.xml "$@"
}
onednn="$(classpath)"
plain="$(classpath -Dnd4j.classifier=linux-x86_64)"
classes="executors/target/classes:executors/target/test-classes"
run() {
  local label="$1" cp="$2"; shift 2
  java -Xmx8g -Dsparknas.bench.label="$label" "$@" -cp "$classes:$cp" io.sparknas.bench.DetectorThroughput \
    "$arch" "$batch" "$warmup" "$reps" 2>/dev/null | grep 'img/s'
}
run "plain linux-x86_64" "$plain"
run "onednn-avx2" "$onednn" -Dorg.eclipse.deeplearning4j.helpers.disable=true
run "onednn-avx2" "$onednn"
