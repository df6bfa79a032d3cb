# Sourced by bench/detection-reference*.sh from the repository root: the Python with torch and numpy
# (REFERENCE_PYTHON), the executors built with their test code, and executors_main CLASS [ARGS...] to run one of
# its main classes with the test classpath. Builds with package, never install (the reactor resolves the modules).

REFERENCE_PYTHON="${REFERENCE_PYTHON:-/usr/bin/python3}"

if ! "$REFERENCE_PYTHON" -c 'import torch' 2>/dev/null; then
  echo "installing python3-torch (Debian) for $REFERENCE_PYTHON" >&2
  sudo_cmd=()
  [[ "$(id -u)" -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q >/dev/null
  "${sudo_cmd[@]}" apt-get install -y -q python3-torch >/dev/null
fi
if ! "$REFERENCE_PYTHON" -c 'import numpy' 2>/dev/null; then
  # pip's configured index is the machine's local wheel index where there is one (see scripts/notebook-check.sh).
  indexes="$("$REFERENCE_PYTHON" -m pip config get global.extra-index-url 2>/dev/null || true)"
  index_args=()
  for url in $indexes; do index_args+=(--find-links "$url"); done
  "$REFERENCE_PYTHON" -m pip install -q --user --no-index "${index_args[@]}" numpy
fi

reference_offline=()
[[ "${MVN_OFFLINE:-0}" == 1 ]] && reference_offline=(-o)
mvn -B -q -Dstyle.color=never "${reference_offline[@]}" -pl executors package -DskipTests
reference_classpath="executors/target/classes:executors/target/test-classes:$(mvn -B -q -Dstyle.color=never \
  "${reference_offline[@]}" -pl executors dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=/dev/stdout)"

executors_main() {
  java -Xmx4g -cp "$reference_classpath" "$@"
}
