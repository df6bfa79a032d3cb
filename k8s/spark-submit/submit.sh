#!/usr/bin/env bash
# Runs one SparkNAS command on Kubernetes with plain spark-submit, for clusters without the Spark operator.
#
#   kubectl apply -k k8s/spark-submit                       # once: service accounts, role, results claim, conf
#   k8s/spark-submit/submit.sh --image registry.example.com/ml/sparknas:0.1.0 -- \
#       search --config /opt/sparknas/conf/sparknas.conf --output /results
#   k8s/spark-submit/submit.sh --dry-run -- sweep --spec /opt/sparknas/conf/my-sweep.conf --output /results
#
# Options (before --): --master k8s://https://HOST:PORT (default: the current kubectl context's API server),
# --namespace NS (default sparknas), --image IMAGE (default sparknas:0.1.0), --executors N (default 2),
# --dry-run (print the spark-submit command instead of running it). After --: the sparknas command and its options
# (default: search --config /opt/sparknas/conf/sparknas.conf --output /results).
# Needs SPARK_HOME (a Spark 4.1 distribution) unless --dry-run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

master=""
namespace="sparknas"
image="sparknas:0.1.0"
executors=2
dry_run=false
while [ $# -gt 0 ]; do
  case "$1" in
    --master) master="$2"; shift 2 ;;
    --namespace) namespace="$2"; shift 2 ;;
    --image) image="$2"; shift 2 ;;
    --executors) executors="$2"; shift 2 ;;
    --dry-run) dry_run=true; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "submit.sh: unknown option '$1' (options come before --, the sparknas command after it)" >&2; exit 2 ;;
  esac
done
if [ $# -eq 0 ]; then
  set -- search --config /opt/sparknas/conf/sparknas.conf --output /results
fi
if [ -z "$master" ]; then
  server="$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}' 2>/dev/null || true)"
  if [ -z "$server" ]; then
    echo "submit.sh: no --master and no current kubectl context to take the API server from" >&2
    exit 2
  fi
  master="k8s://$server"
fi
case "$master" in
  k8s://*) ;;
  *) echo "submit.sh: --master must start with k8s:// (got '$master')" >&2; exit 2 ;;
esac

# Spark's Java 17 module openings, kept once in pom.xml; JavaCPP unpacks ND4J's native libraries under /tmp.
java_options="$(sed -n 's:.*<spark.jvm.opens>\(.*\)</spark.jvm.opens>.*:\1:p' "$root/pom.xml") -Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp"

command=(
  "${SPARK_HOME:-/opt/spark}/bin/spark-submit"
  --master "$master"
  --deploy-mode cluster
  --name "sparknas-$1"
  --class io.sparknas.cli.SparkNas
  --conf "spark.kubernetes.namespace=$namespace"
  --conf "spark.kubernetes.container.image=$image"
  --conf spark.kubernetes.authenticate.driver.serviceAccountName=sparknas-driver
  --conf spark.kubernetes.authenticate.executor.serviceAccountName=sparknas-executor
  --conf "spark.kubernetes.driver.podTemplateFile=$here/driver-pod-template.yaml"
  --conf "spark.kubernetes.executor.podTemplateFile=$here/executor-pod-template.yaml"
  --conf spark.kubernetes.driver.ownPersistentVolumeClaim=false
  --conf spark.kubernetes.driver.reusePersistentVolumeClaim=false
  --conf spark.driver.cores=2
  --conf spark.driver.memory=8g
  --conf spark.driver.memoryOverhead=4g
  --conf "spark.executor.instances=$executors"
  --conf spark.executor.cores=2
  --conf spark.executor.memory=6g
  --conf spark.executor.memoryOverhead=2g
  --conf "spark.driver.extraJavaOptions=$java_options"
  --conf "spark.executor.extraJavaOptions=$java_options"
  --conf spark.executorEnv.MALLOC_ARENA_MAX=2
  --conf spark.kubernetes.driverEnv.MALLOC_ARENA_MAX=2
  --conf spark.ui.showConsoleProgress=false
  local:///opt/sparknas/sparknas-app.jar
  "$@"
)
if $dry_run; then
  printf '%q ' "${command[@]}"
  echo
  exit 0
fi
if [ ! -x "${command[0]}" ]; then
  echo "submit.sh: ${command[0]} not found; set SPARK_HOME to a Spark 4.1 distribution" >&2
  exit 2
fi
exec "${command[@]}"
