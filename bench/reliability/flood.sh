#!/usr/bin/env bash
# Flood timing: the 150,000-signature CVE-2019-13050 key against a server in one JVM (FloodBench):
# time to refuse it over HKP (413), to reduce it through the bulk import, and to reduce it in ten
# HKP pieces, each with retained and peak heap growth next to the input's size.
#   bash bench/reliability/flood.sh [signatures]
#   MVN_ARGS="-Dmaven.repo.local=/path/m2" bash bench/reliability/flood.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
MVN="mvn -q -B -ntp ${MVN_ARGS:-}"
JAR="$ROOT/server/target/keyhaven-server.jar"
[[ -f "$JAR" ]] || (cd "$ROOT" && $MVN -DskipTests install)
WORK="$(mktemp -d /tmp/kh-flood.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
cp -r "$ROOT/server/target/lib" "$WORK/lib"
cp "$JAR" "$WORK/"
CP="$WORK/keyhaven-server.jar:$(ls "$WORK"/lib/*.jar | tr '\n' ':')"
echo "flood bench: $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx1g -XX:+UseSerialGC -Dsigs="${1:-150000}" -Djava.io.tmpdir="$WORK" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" "$ROOT/bench/reliability/FloodBench.java"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
