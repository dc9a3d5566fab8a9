#!/usr/bin/env bash
# Sign and verify cost per CPU-second (SignVerifyBench): the inputs of the P-256 bound.
#   bench/ca/crypto.sh [seconds per figure]
# Needs the server compiled (mvn -pl server test-compile or package) and ca installed.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CP_FILE="$(mktemp)"
CLASSES="$(mktemp -d)"
trap 'rm -rf "$CP_FILE" "$CLASSES"' EXIT
mvn -q -B -f "$ROOT/server/pom.xml" dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null
cp -r "$ROOT/server/target/classes/." "$CLASSES/"
CP="$CLASSES:$(cat "$CP_FILE")"
exec java ${JAVA_OPTS:-} -Xmx512m -Dseconds="${1:-3}" -cp "$CP" "$HERE/SignVerifyBench.java"
