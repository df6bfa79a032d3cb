#!/usr/bin/env bash
# Builds the project and runs a main class of the executors' test code (the benchmarks) with its test classpath.
#   bench/executors-main.sh CLASS [ARGS...]
# Set MVN_OFFLINE=1 to build without network access (mvn -o).
set -euo pipefail
cd "$(dirname "$0")/.."
main="${1:?usage: bench/executors-main.sh CLASS [ARGS...]}"
shift
offline=()
[[ "${MVN_OFFLINE:-0}" == 1 ]] && offline=(-o)
mvn -B -q -Dstyle.color=never "${offline[@]}" install -DskipTests
# shellcheck source=bench/classpath.sh
source bench/classpath.sh
cp="$(module_classpath executors/pom.xml "${offline[@]}")"
classes="executors/target/classes:executors/target/test-classes"
exec java -Xmx8g -cp "$classes:$cp" "$main" "$@"
