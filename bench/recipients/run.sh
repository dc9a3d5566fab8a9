#!/usr/bin/env bash
# Recipient lookup benchmark: N certificates (issued through the REST API) and N OpenPGP keys
# (bulk-imported) for bench{i}@example.org, then wrk on single lookups (16 connections) and on
# 1,000-address batches (4 connections). Everything on 127.0.0.1.
#   bash bench/recipients/run.sh            # N=100000
#   N=20000 bash bench/recipients/run.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
N=${N:-100000}
WORK=${WORK:-/tmp/kh-recipients-bench}
DURATION=${DURATION:-20s}
PORT=${PORT:-18580}
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >&2
(cd "$ROOT" && [ -f server/target/keyhaven-server.jar ] || mvn -q -B -DskipTests install) >&2
M2=$HOME/.m2/repository
CP="$ROOT/keyserver/target/keyhaven-keyserver-0.1.0-SNAPSHOT.jar:$ROOT/common/target/keyhaven-common-0.1.0-SNAPSHOT.jar"
for a in bcprov bcpg bcutil bcpkix; do CP="$CP:$M2/org/bouncycastle/$a-jdk18on/1.86/$a-jdk18on-1.86.jar"; done

rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK"
echo "== keys: generate $N and import offline"
java -cp "$CP" "$ROOT/bench/keyserver/GenKeys.java" "$N" dump.pgp fprs.txt emails.txt
"$ROOT/keyhaven" keys import --data-dir "$WORK/data" --quiet dump.pgp >/dev/null 2>&1 || \
  "$ROOT/keyhaven" keys import --data-dir "$WORK/data" dump.pgp
echo "== server"
"$ROOT/keyhaven" serve --data-dir "$WORK/data" --http-port $PORT --hkp-port 0 --ldap-port 0 >serve.out 2>serve.err &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
until grep -q '^keyhaven ready' serve.out; do sleep 0.2; done
TOKEN=$(cat "$WORK/data/admin-token")
echo "== certificates: $N through the REST API"
java -cp "$CP" "$HERE/IssueLoad.java" "http://127.0.0.1:$PORT" "$TOKEN" "$N"
echo "== single lookups (16 connections, $DURATION)"
EMAILS=$WORK/emails.txt wrk -t2 -c16 -d"$DURATION" --latency -s "$HERE/one.lua" "http://127.0.0.1:$PORT" | tee one.txt
echo "== 1,000-address batches (4 connections, $DURATION)"
EMAILS=$WORK/emails.txt wrk -t2 -c4 -d"$DURATION" --latency -s "$HERE/batch.lua" "http://127.0.0.1:$PORT" | tee batch.txt
