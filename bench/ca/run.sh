#!/usr/bin/env bash
# CA issuance benchmark: REST issuance vs raw signing with the same CA key (see CaIssuanceBench).
#   bench/ca/run.sh [threads] [seconds] [REST warm-up seconds, default 10]
# Needs the server compiled (mvn -pl server test-compile or package) and ca installed.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CP_FILE="$(mktemp)"
CLASSES="$(mktemp -d)"
trap 'rm -rf "$CP_FILE" "$CLASSES"' EXIT
mvn -q -B -f "$ROOT/server/pom.xml" dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
# A private copy: other builds in the same tree may be rewriting server/target meanwhile.
cp -r "$ROOT/server/target/classes/." "$CLASSES/"
CP="$CLASSES:$(cat "$CP_FILE")"
exec java ${JAVA_OPTS:-} -Dbench.dir="$HERE" -Xmx1g -Dthreads="${1:-4}" -Dseconds="${2:-10}" -Dwarmup="${3:-10}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" "$HERE/CaIssuanceBench.java"
