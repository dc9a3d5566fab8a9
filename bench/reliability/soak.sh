#!/usr/bin/env bash
# Soak: starts the packaged server (fresh H2 data dir, HTTP on 127.0.0.1:19080, HKP and LDAP off)
# and runs Soak.java against it: a closed-loop calibration of capacity on the mix (OCSP GET 40 %,
# HKP op=get 30 %, recipient lookup 27 %, issuance 3 %), then an open loop at 80 % of it for
# SECONDS (default 600), reporting per interval requests, errors, p50/p99/max, RSS, heap and load.
#
#   bash bench/reliability/soak.sh [seconds] [interval] [calibration-seconds]
#   MVN_ARGS="-Dmaven.repo.local=/path/m2" bash bench/reliability/soak.sh 180 30 20
# Output also goes to bench/out/soak-<UTC time>.txt. Exit status 1 if any request failed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SECS=${1:-600}
INTERVAL=${2:-30}
CAL=${3:-20}
PORT=${SOAK_PORT:-19080}
MVN="mvn -q -B -ntp ${MVN_ARGS:-}"
JAR="$ROOT/server/target/keyhaven-server.jar"
[[ -f "$JAR" ]] || (cd "$ROOT" && $MVN -DskipTests install)
WORK="$(mktemp -d /tmp/kh-soak.XXXXXX)"
OUT="$ROOT/bench/out/soak-$(date -u +%Y%m%dT%H%M%SZ).txt"
mkdir -p "$ROOT/bench/out"
PID=""
cleanup() {
  local rc=$?
  if [[ -n "$PID" ]]; then
    kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  fi
  rm -rf "$WORK"
  exit "$rc"  # the server's SIGTERM status (143) is not the soak's result
}
trap cleanup EXIT
# A private copy of the jar and its libs: other builds in the tree may rewrite server/target.
cp -r "$ROOT/server/target/lib" "$WORK/lib"
cp "$JAR" "$WORK/keyhaven-server.jar"
# SERVER_JVM: the server's heap and collector (G1, as the launcher's serve; no -Xmx there).
SERVER_JVM=${SERVER_JVM:--Xmx512m -XX:+UseG1GC}
# shellcheck disable=SC2086
java $SERVER_JVM -Xlog:gc:file="$WORK/gc.log" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -jar "$WORK/keyhaven-server.jar" serve --data-dir "$WORK/data" --http-port "$PORT" \
  --hkp-port 0 --ldap-port 0 >"$WORK/stdout" 2>"$WORK/server.log" &
PID=$!
for _ in $(seq 1 120); do
  grep -q "keyhaven ready" "$WORK/stdout" 2>/dev/null && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/server.log"; exit 2; }
  sleep 0.5
done
grep -q "keyhaven ready" "$WORK/stdout" || { echo "server not ready" >&2; exit 2; }
TOKEN="$(cat "$WORK/data/admin-token")"
CP="$WORK/keyhaven-server.jar:$(ls "$WORK"/lib/*.jar | tr '\n' ':')"
{
  echo "soak: $(date -u +%FT%TZ), $(nproc) cores, server pid $PID ($SERVER_JVM, H2), load $(cut -d' ' -f1-3 /proc/loadavg)"
  rc=0
  java -Xmx512m -cp "$CP" -Dbase="http://127.0.0.1:$PORT" -Dtoken="$TOKEN" -Dpid="$PID" \
    -Dseconds="$SECS" -Dinterval="$INTERVAL" -Dcalibrate="$CAL" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn "$ROOT/bench/reliability/Soak.java" || rc=$?
  echo "server log: $(grep -c -E ' (ERROR|WARN) ' "$WORK/server.log" || true) WARN/ERROR lines"
  # Collector pauses over the whole run (JDK unified logging, -Xlog:gc): count, sum, worst.
  awk '/Pause/ { ms = $NF; sub("ms", "", ms); ms += 0; n++; sum += ms; if (ms > max) max = ms }
    END { if (n) printf "gc pauses: %d, total %.0f ms, mean %.1f ms, max %.1f ms\n", n, sum, sum / n, max }' \
    "$WORK/gc.log"
  grep -E ' (ERROR|WARN) ' "$WORK/server.log" | sort | uniq -c | sort -rn | head -5 || true
  exit $rc
} 2>&1 | tee "$OUT"
