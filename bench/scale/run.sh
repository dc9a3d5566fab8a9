#!/usr/bin/env bash
# Scale-out benchmark (issue 11): OCSP GET (nonce-less) and HKP op=get throughput against 1, 2 and
# 3 Keyhaven nodes sharing one PostgreSQL database, on this one machine. Everything on 127.0.0.1.
#   bash bench/scale/run.sh
#   N_KEYS=20000 N_CERTS=5000 DURATION=15s bash bench/scale/run.sh
# Env: N_KEYS (20000 synthetic OpenPGP keys, bench/keyserver/GenKeys.java), N_CERTS (5000
#      smime-encrypt certificates issued through the REST API, bench/recipients/IssueLoad.java),
#      DURATION (15s per measured run, after a 5 s warm-up), CONNS (24), THREADS (6: a multiple of
#      1, 2 and 3 so that every node gets the same number of wrk threads and connections),
#      PG_ADMIN (libpq URL of a PostgreSQL 15 server where a database may be created),
#      M2 (local Maven repository holding BouncyCastle), WORK (/tmp/kh-scale-bench).
# Ports: HTTP 18491-18493 (HKP and LDAP listeners off; HKP is served on the HTTP port too).
# Load balancing: one wrk, its threads spread over the nodes (nodes.lua sets each thread's
# address), like an L4 balancer spreading connections; every node gets THREADS/k threads.
# The nodes not being measured in the 1- and 2-node runs stay up, idle (they poll the change
# feed every 250 ms).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
N_KEYS=${N_KEYS:-20000}
N_CERTS=${N_CERTS:-5000}
DURATION=${DURATION:-15s}
CONNS=${CONNS:-24}
THREADS=${THREADS:-6}
PG_ADMIN=${PG_ADMIN:-postgresql://keyhaven:keyhaven@127.0.0.1:55432/postgres}
M2=${M2:-$HOME/.m2/repository}
WORK=${WORK:-/tmp/kh-scale-bench}
PORTS=(18491 18492 18493)
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseSerialGC -Xss512k -Xmx384m"}
command -v wrk >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >&2
[ -f "$ROOT/server/target/keyhaven-server.jar" ] || \
  (cd "$ROOT" && mvn -q -B -Dmaven.repo.local="$M2" -DskipTests install) >&2

rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK"
# Snapshot the server (a rebuild while we run must not change what is measured).
cp -r "$ROOT/server/target/keyhaven-server.jar" "$ROOT/server/target/lib" "$WORK/"
CP="$ROOT/keyserver/target/keyhaven-keyserver-0.1.0-SNAPSHOT.jar:$ROOT/common/target/keyhaven-common-0.1.0-SNAPSHOT.jar"
for a in bcprov bcpg bcutil bcpkix; do CP="$CP:$M2/org/bouncycastle/$a-jdk18on/1.86/$a-jdk18on-1.86.jar"; done

DB=kh_scale_bench_$$
psql -q "$PG_ADMIN" -c "CREATE DATABASE $DB"
DB_LIBPQ="${PG_ADMIN%/*}/$DB"
# jdbc:postgresql://host:port/db?user=…&password=… from postgresql://user:password@host:port/db
HOSTPART=${PG_ADMIN#postgresql://}; CRED=${HOSTPART%%@*}; HOSTPORT=${HOSTPART#*@}; HOSTPORT=${HOSTPORT%%/*}
JDBC="jdbc:postgresql://$HOSTPORT/$DB?user=${CRED%%:*}&password=${CRED#*:}"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $DB" 2>/dev/null || true
}
trap cleanup EXIT
head -c 32 /dev/urandom | base64 > master-key

KH=(java $JAVA_OPTS -Dorg.slf4j.simpleLogger.log.org.eclipse.jetty=warn
  -Dorg.slf4j.simpleLogger.log.org.flywaydb=warn -Dorg.slf4j.simpleLogger.log.com.zaxxer.hikari=warn
  -jar "$WORK/keyhaven-server.jar")
start_node() { # index; java itself runs in the background, so $! is the node's PID
  local i=$1 port=${PORTS[$1]}
  "${KH[@]}" serve --data-dir "$WORK/node$i" --http-port "$port" --hkp-port 0 --ldap-port 0 \
    --db-url "$JDBC" --key-passphrase-file "$WORK/master-key" \
    --public-url "http://127.0.0.1:${PORTS[0]}" >"node$i.out" 2>"node$i.err" &
  PIDS+=($!)
}
await_node() { until grep -q '^keyhaven ready' "node$1.out"; do sleep 0.3
  kill -0 "${PIDS[$1]}" 2>/dev/null || { cat "node$1.err"; exit 1; }; done; }

echo "== keys: generate $N_KEYS and import into PostgreSQL (keyhaven keys import --db-url)"
java -cp "$CP" "$ROOT/bench/keyserver/GenKeys.java" "$N_KEYS" dump.pgp fprs.txt emails.txt
"${KH[@]}" keys import --data-dir "$WORK/import" --db-url "$JDBC" --quiet dump.pgp
echo "== node 0 (bootstraps the CA), then $N_CERTS certificates through its REST API"
start_node 0; await_node 0
java -cp "$CP" "$ROOT/bench/recipients/IssueLoad.java" "http://127.0.0.1:${PORTS[0]}" \
  "$(cat "$WORK/node0/admin-token")" "$N_CERTS"
psql -Atq "$DB_LIBPQ" -c "SELECT serial FROM certificate WHERE ca_id = 'ca-mail' AND profile = 'smime-encrypt'" > serials.txt
psql -Atq "$DB_LIBPQ" -c "SELECT encode(cert_der, 'base64') FROM ca WHERE id = 'ca-mail'" > issuer.b64
java -cp "$CP" "$HERE/OcspPaths.java" issuer.b64 serials.txt ocsp-paths.txt
sed 's|^|/pks/lookup?op=get\&options=mr\&search=0x|' fprs.txt > hkp-paths.txt
echo "== nodes 1 and 2 join"
start_node 1; start_node 2; await_node 1; await_node 2
curl -sf "http://127.0.0.1:${PORTS[1]}$(head -1 hkp-paths.txt)" >/dev/null
curl -sf "http://127.0.0.1:${PORTS[2]}$(head -1 ocsp-paths.txt)" >/dev/null

run() { # name nodes paths
  local name=$1 k=$2 paths=$3 ports
  ports=$(IFS=,; echo "${PORTS[*]:0:$k}")
  PORTS="$ports" PATHS="$paths" wrk -t"$THREADS" -c"$CONNS" -d5s -s "$HERE/nodes.lua" \
    "http://127.0.0.1:${PORTS[0]}" >/dev/null 2>&1 || true
  local load; load=$(cut -d' ' -f1-3 /proc/loadavg)
  PORTS="$ports" PATHS="$paths" wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency \
    -s "$HERE/nodes.lua" "http://127.0.0.1:${PORTS[0]}" > "wrk-$name-$k.txt" 2>&1 || true
  printf '%-5s %d node(s) %10s req/s  p50 %-8s p99 %-8s errors %-6s load before %s after %s\n' \
    "$name" "$k" "$(awk '/Requests\/sec/{print $2}' "wrk-$name-$k.txt")" \
    "$(awk '$1=="50%"{print $2}' "wrk-$name-$k.txt")" "$(awk '$1=="99%"{print $2}' "wrk-$name-$k.txt")" \
    "$(awk '/Non-2xx|Socket errors/{printf "%s ", $0}' "wrk-$name-$k.txt" | tr -s ' ' | cut -c1-40)" \
    "$load" "$(cut -d' ' -f1-3 /proc/loadavg)" | tee -a results.txt
}
# Every node fills its own OCSP and HKP caches on demand: walk every path once on every node
# first (bench/revocation/get.lua "seq"), as a node that has run for a while would have them.
echo "== warm-up: every OCSP and HKP path once on every node"
for port in "${PORTS[@]}"; do
  for paths in "$WORK/ocsp-paths.txt" "$WORK/hkp-paths.txt"; do
    wrk -t1 -c8 -d"${WARM:-12}s" -s "$ROOT/bench/revocation/get.lua" "http://127.0.0.1:$port" \
      -- "$paths" seq >/dev/null 2>&1 || true
  done
done
echo "== wrk -t$THREADS -c$CONNS -d$DURATION (5 s warm-up before each), $(nproc) CPUs"
for k in 1 2 3; do
  run ocsp "$k" "$WORK/ocsp-paths.txt"
  run hkp "$k" "$WORK/hkp-paths.txt"
done
echo "== hash-chained audit appends on this database (the cluster-wide serialisation point)"
for t in 1 4 16; do
  java -cp "$WORK/keyhaven-server.jar:$WORK/lib/*" "$HERE/AuditAppend.java" "$JDBC" "$t" 10 2>/dev/null \
    | sed "s/\$/  (load $(cut -d' ' -f1-3 /proc/loadavg))/" | tee -a results.txt
done
echo "work dir: $WORK"
