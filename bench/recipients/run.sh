#!/usr/bin/env bash
# Recipient lookup benchmark (issue 8): N OpenPGP keys for bench0..bench{N-1}@example.org
# (GenKeys, bulk-imported with `keyhaven keys import`) and N smime-encrypt certificates for
# bench{OFFSET}..bench{OFFSET+N-1}@example.org, issued through the REST API (the real issuance
# path, IssueLoad.java, 16 connections). With the default OFFSET=N/2 a third of the
# addresses (bench0..bench{OFFSET-1}) have only a key, a third (bench{N}..) only a
# certificate, the rest both. Then wrk on single lookups (CONNS=16 connections) and on
# 1,000-address batches (4 connections), each address drawn at random from all of them.
# Everything on 127.0.0.1.
#   bash bench/recipients/run.sh                 # N=100000: load (10-20 min), then measure
#   REUSE=1 bash bench/recipients/run.sh         # measure again on the data already in WORK
#   N=10000 bash bench/recipients/run.sh
# Env: N, OFFSET (N/2), WORK (/tmp/kh-recipients-bench-$N), DURATION (30s), CONNS (16),
#      PORT (18580), M2 (where the BouncyCastle jars are; ~/.m2/repository), JAVA_OPTS (server),
#      WARMUP (60s of single lookups before measuring: caches fill), JFR (file: record the
#      single-lookup run).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
N=${N:-100000}
OFFSET=${OFFSET:-$((N / 2))}
WORK=${WORK:-/tmp/kh-recipients-bench-$N}
DURATION=${DURATION:-30s}
CONNS=${CONNS:-16}
WARMUP=${WARMUP:-60s}
PORT=${PORT:-18580}
M2=${M2:-$HOME/.m2/repository}
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >&2
(cd "$ROOT" && [ -f server/target/keyhaven-server.jar ] || mvn -q -B -DskipTests install) >&2
CP="$ROOT/keyserver/target/keyhaven-keyserver-0.1.0-SNAPSHOT.jar:$ROOT/common/target/keyhaven-common-0.1.0-SNAPSHOT.jar"
for a in bcprov bcpg bcutil bcpkix; do CP="$CP:$M2/org/bouncycastle/$a-jdk18on/1.86/$a-jdk18on-1.86.jar"; done

PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null || true' EXIT
serve() {
  "$ROOT/keyhaven" serve --data-dir "$WORK/data" --http-port $PORT --hkp-port 0 --ldap-port 0 \
    >"$WORK/serve.out" 2>"$WORK/serve.err" &
  PID=$!
  until grep -q '^keyhaven ready' "$WORK/serve.out"; do
    kill -0 $PID 2>/dev/null || { cat "$WORK/serve.err" >&2; exit 1; }
    sleep 0.2
  done
}

if [ "${REUSE:-}" = 1 ] && [ -f "$WORK/loaded" ]; then
  echo "== reusing $(cat "$WORK/loaded")"
  cd "$WORK"
  serve
else
  rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK"
  echo "== keys: generate $N and import offline"
  t0=$(date +%s)
  java -cp "$CP" "$ROOT/bench/keyserver/GenKeys.java" "$N" dump.pgp fprs.txt key-emails.txt
  "$ROOT/keyhaven" keys import --data-dir "$WORK/data" --quiet dump.pgp
  echo "   keys loaded in $(( $(date +%s) - t0 )) s"
  serve
  echo "== certificates: $N through the REST API (bench$OFFSET.. bench$((OFFSET + N - 1)))"
  java -cp "$CP" "$HERE/IssueLoad.java" "http://127.0.0.1:$PORT" "$(cat "$WORK/data/admin-token")" \
    "$N" "$OFFSET" 16
  for ((i = 0; i < OFFSET + N; i++)); do echo "bench$i@example.org"; done > emails.txt
  echo "$N keys (bench0..), $N certificates (bench$OFFSET..), $((OFFSET + N)) addresses" > loaded
fi

# Lookups wait for the first web-of-trust graph load after a start; time it, then warm up.
t0=$(date +%s.%N)
curl -s -m 900 -o /dev/null "http://127.0.0.1:$PORT/api/v1/recipients/bench0@example.org"
echo "== first lookup (web-of-trust graph loaded) after $(echo "$(date +%s.%N) - $t0" | bc) s"
echo "== $(uptime)"
EMAILS=$WORK/emails.txt wrk -t2 -c"$CONNS" -d"$WARMUP" -s "$HERE/one.lua" "http://127.0.0.1:$PORT" >/dev/null
if [ -n "${JFR:-}" ]; then
  jcmd $PID JFR.start name=rcp settings=profile filename="$JFR" >/dev/null
fi
echo "== single lookups ($CONNS connections, $DURATION) $(date -u +%FT%TZ), $(uptime | sed 's/.*load/load/')"
EMAILS=$WORK/emails.txt wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s "$HERE/one.lua" "http://127.0.0.1:$PORT" | tee one.txt
echo "   after: $(uptime | sed 's/.*load/load/')"
if [ -n "${JFR:-}" ]; then
  jcmd $PID JFR.stop name=rcp >/dev/null
fi
echo "== 1,000-address batches (4 connections, $DURATION) $(date -u +%FT%TZ), $(uptime | sed 's/.*load/load/')"
EMAILS=$WORK/emails.txt wrk -t2 -c4 -d"$DURATION" --timeout 30s --latency -s "$HERE/batch.lua" "http://127.0.0.1:$PORT" | tee batch.txt
echo "   after: $(uptime | sed 's/.*load/load/')"
