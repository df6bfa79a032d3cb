# Sourced by bench/detection-reference*.sh from the repository root: the Python with torch, numpy and Pillow
# (REFERENCE_PYTHON, default /usr/bin/python3), the executors built with their test code, and
# executors_main CLASS [ARGS...] to run one of its main classes with the test classpath. Builds with package,
# never install (the reactor resolves the modules).

REFERENCE_PYTHON="${REFERENCE_PYTHON:-/usr/bin/python3}"

if ! "$REFERENCE_PYTHON" -c 'import torch, numpy, PIL' 2>/dev/null; then
  # Debian's packages for the system Python (pip may not install into it: it is externally managed).
  echo "installing python3-torch, python3-numpy and python3-pil (Debian) for $REFERENCE_PYTHON" >&2
  sudo_cmd=()
  [[ "$(id -u)" -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q >/dev/null
  "${sudo_cmd[@]}" apt-get install -y -q python3-torch python3-numpy python3-pil >/dev/null
fi

reference_offline=()
[[ "${MVN_OFFLINE:-0}" == 1 ]] && reference_offline=(-o)
mvn -B -q -Dstyle.color=never "${reference_offline[@]}" -pl executors package -DskipTests
# shellcheck source=bench/classpath.sh
source bench/classpath.sh
reference_classpath="executors/target/classes:executors/target/test-classes:$(module_classpath executors/pom.xml \
  "${reference_offline[@]}")"

executors_main() {
  java -Xmx4g -cp "$reference_classpath" "$@"
}
