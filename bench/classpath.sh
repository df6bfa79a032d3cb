#!/usr/bin/env bash
# Sourced by the benchmark scripts: module_classpath POM [MVN_ARGS...] prints the test classpath of the module POM
# (its dependencies' jars, not its own classes), with two things fixed that bit long benchmarks:
# - Maven prints a colour reset before the classpath even with style.color=never; left in, it hides the first jar;
# - this project's executors jars, which 'mvn install' (from any checkout) replaces in the local repository under a
#   running JVM, which then dies with NoClassDefFoundError: the caller puts executors/target/classes and
#   executors/target/test-classes of its own checkout on the classpath instead.
module_classpath() {
  local pom=$1
  shift
  mvn -B -q -Dstyle.color=never -f "$pom" dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=/dev/stdout "$@" | sed 's/\x1b\[[0-9;]*m//g' | tr ':' '\n' \
    | grep -v '/io/sparknas/sparknas-executors/' | paste -sd: -
}
