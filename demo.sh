#!/usr/bin/env bash
# One command for the lance-sink demo: Delta change data feed -> Spark local[2] -> Lance.
# Needs only Java 17+ and Maven. Builds the reactor modules the examples need (no `mvn install`),
# then runs the example with Spark's --add-opens flags.
#
#   ./demo.sh                      # the main demo with a real embedding model (all-MiniLM-L6-v2,
#                                  # in-process), about 1-2 minutes on 2 idle cores
#   ./demo.sh --embedder hashing   # the same with the fast stand-in embedder
#   ./demo.sh --kill-and-restart   # SIGKILL the job mid-run, restart it, show exactly-once
#   ./demo.sh --rounds 10 --keep   # more rounds; keep the temp directory to inspect it
#   ./demo.sh partitioned [N R]    # the time-partitioned files template: N partitions x R rows
set -euo pipefail
cd "$(dirname "$0")"

echo "Building lance-sink and its examples (the first run downloads the dependencies)..."
mvn -B -q -pl examples -am package -DskipTests

MAIN=io.github.lancesink.examples.deltacdf.DeltaCdfToLance
if [[ "${1:-}" == "partitioned" ]]; then
  MAIN=io.github.lancesink.examples.partitioned.PartitionedFilesToLance
  shift
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
export LANCE_INCLUDE_VECTOR_CENTROIDS=false
exec "$JAVA" @examples/target/demo/jvm.args \
  -cp "examples/target/classes:$(cat examples/target/demo/classpath.txt)" "$MAIN" "$@"
