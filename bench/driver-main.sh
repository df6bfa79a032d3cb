#!/usr/bin/env bash
# Builds the project and runs a main class of the driver's test code (the benchmarks that drive the search) with
# its test classpath and the module openings Spark needs on Java 17.
#   bench/driver-main.sh CLASS [ARGS...]
# Set MVN_OFFLINE=1 to build without network access (mvn -o); BENCH_HEAP sets the JVM heap (default 8g).
set -euo pipefail
cd "$(dirname "$0")/.."
main="${1:?usage: bench/driver-main.sh CLASS [ARGS...]}"
shift
offline=()
[[ "${MVN_OFFLINE:-0}" == 1 ]] && offline=(-o)
mvn -B -q -Dstyle.color=never "${offline[@]}" install -DskipTests
# shellcheck source=bench/classpath.sh
source bench/classpath.sh
cp="$(module_classpath driver/pom.xml "${offline[@]}")"
own="driver/target/classes:driver/target/test-classes:executors/target/classes:executors/target/test-classes"
opens="$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' pom.xml)"
# shellcheck disable=SC2086
exec java -Xmx"${BENCH_HEAP:-8g}" $opens -cp "$own:$cp" "$main" "$@"
