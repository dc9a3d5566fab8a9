#!/usr/bin/env bash
# Revocation benchmark: Keyhaven vs `openssl ocsp -index … -multi 2` vs `cfssl ocspserve`
# (OCSP GET throughput, nonce-less; POST with a nonce), and CRL generation for 100,000 revoked
# entries vs `openssl ca -gencrl`. Usage: bench/revocation/run.sh [seconds-per-wrk-run]
# Needs: wrk, openssl, cfssl (Debian golang-cfssl), a built server module (mvn -pl server
# package -DskipTests or compile).
set -euo pipefail
D=${1:-20}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d /tmp/kh-revbench.XXXXXX)
PIDS=()
# openssl ocsp -multi forks workers: stop the children of our own PIDs too.
cleanup() { for p in "${PIDS[@]}"; do pkill -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
cd "$ROOT"
mvn -q -B -f server/pom.xml dependency:build-classpath -Dmdep.outputFile="$W/cp.txt" >/dev/null
# Snapshot our own module jars and classes: other builds may reinstall them while we run.
mkdir -p "$W/lib"
cp -r "${SERVER_CLASSES:-$ROOT/server/target/classes}" "$W/server-classes"
CP="${EXTRA_CP:+$EXTRA_CP:}$W/server-classes"
for j in $(tr ':' ' ' < "$W/cp.txt"); do
  case "$j" in
    */org/keyhaven/*) cp "$j" "$W/lib/" && CP="$CP:$W/lib/$(basename "$j")" ;;
    *) CP="$CP:$j" ;;
  esac
done
javac -q -cp "$CP" -d "$W/classes" bench/revocation/RevocationBench.java 2>/dev/null \
  || javac -cp "$CP" -d "$W/classes" bench/revocation/RevocationBench.java
java -Xmx2g -cp "$W/classes:$CP" RevocationBench "$W" ${KH_PORT:-28480} >"$W/setup.log" 2>&1 &
PIDS+=($!)
until grep -q READY "$W/setup.log"; do sleep 2; grep -q "Exception" "$W/setup.log" && { cat "$W/setup.log"; exit 1; }; done
grep "keyhaven CRL" "$W/setup.log"
cd "$W"
# openssl ocsp's workers wedge on connections wrk leaves open at the end of a run (no read
# timeout), so it is started afresh before each of its runs.
start_openssl() {
  local port=${OPENSSL_PORT:-28481}
  pkill -9 -f "openssl ocsp -index index.txt -port $port" 2>/dev/null || true
  # A new one cannot bind while the old listener (or a forked worker holding it) is still there.
  for _ in $(seq 40); do ss -ltn | grep -q ":$port " || break; sleep 0.25; done
  openssl ocsp -index index.txt -port $port -rsigner peer-responder.pem -rkey peer-responder.key \
    -CA peer-ca.pem -multi 2 -nmin 1440 >>openssl-ocsp.log 2>&1 &
  PIDS+=($!)
  # Ready means it answers: one real POST of the nonce request must come back as an OCSPResponse.
  for _ in $(seq 40); do
    curl -s -m 2 -H 'Content-Type: application/ocsp-request' --data-binary @peer-nonce.der \
      -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" 2>/dev/null | grep -q 200 && return 0
    sleep 0.5
  done
  echo "openssl ocsp did not come up on port $port" >&2
}
start_openssl
cfssl ocspserve -port ${CFSSL_PORT:-28482} -responses cfssl-responses.txt >cfssl.log 2>&1 &
PIDS+=($!)
sleep 3
S="$ROOT/bench/revocation"
bench() { # name url script args...
  local name=$1 url=$2 script=$3; shift 3
  wrk -t2 -c${C:-32} -d"${D}s" --latency -s "$script" "$url" -- "$@" > "wrk-$name.txt" 2>&1 || true
  printf '%-28s %10s req/s  p99 %s\n' "$name" "$(awk '/Requests\/sec/{print $2}' "wrk-$name.txt")" \
    "$(awk '$1=="99%"{print $2}' "wrk-$name.txt")"
}
# Warm-up (JIT, pre-signed cache) then the measured runs, all on the same machine, one at a time.
# openssl ocsp answers one request per connection (HTTP/1.0 style), so its runs send
# Connection: close; Keyhaven is measured with keep-alive (what OCSP clients and proxies use) and,
# for the signing case, also with Connection: close, like for like.
# cfssl 1.2 (Debian) cannot decode GET paths (it does not strip the leading '/'), so cfssl is
# measured with POST of the same nonce-less requests, next to Keyhaven's POST of the same kind.
KH=http://127.0.0.1:${KH_PORT:-28480}
OS=http://127.0.0.1:${OPENSSL_PORT:-28481}
CF=http://127.0.0.1:${CFSSL_PORT:-28482}
# Warm-up: one wrk thread walks all 10,000 paths in order (~2 rounds), so every request the
# measured run draws has been answered, and its pre-signed answer cached, once before.
wrk -t1 -c8 -d25s -s "$S/get.lua" $KH -- "$W/keyhaven-get.txt" seq >/dev/null 2>&1 || true
wrk -t2 -c32 -d5s -s "$S/get.lua" $KH -- "$W/keyhaven-get.txt" >/dev/null 2>&1 || true
wrk -t2 -c32 -d5s -s "$S/post-many.lua" $KH -- "$W/keyhaven-post.bin" /ocsp >/dev/null 2>&1 || true
bench keyhaven-get $KH "$S/get.lua" "$W/keyhaven-get.txt"
start_openssl
bench openssl-get $OS "$S/get.lua" "$W/peer-get.txt" close
bench keyhaven-post-nonceless $KH "$S/post-many.lua" "$W/keyhaven-post.bin" /ocsp
bench cfssl-post-nonceless $CF "$S/post-many.lua" "$W/peer-post.bin" /
# openssl POST runs use 8 connections (as measured by hand first).
start_openssl
C=8 bench openssl-post-nonceless $OS "$S/post-many.lua" "$W/peer-post.bin" / close
bench keyhaven-post-nonce $KH "$S/post.lua" "$W/keyhaven-nonce.der" /ocsp
bench keyhaven-post-nonce-close $KH "$S/post.lua" "$W/keyhaven-nonce.der" /ocsp close
start_openssl
C=8 bench openssl-post-nonce $OS "$S/post.lua" "$W/peer-nonce.der" / close
for f in wrk-*.txt; do
  grep -qE "Non-2xx|Socket errors" "$f" && echo "  $f: $(grep -E 'Non-2xx|Socket errors' "$f" | tr -s ' ')"
done
# CRL generation with openssl ca for the same 100,000 revoked entries.
cat > ca.cnf <<CNF
[ ca ]
default_ca = peer
[ peer ]
database = $W/crl-index.txt
crlnumber = $W/crlnumber
default_md = sha256
default_crl_days = 1
certificate = $W/peer-ca.pem
private_key = $W/peer-ca.key
crl_extensions = crl_ext
[ crl_ext ]
authorityKeyIdentifier = keyid:always
CNF
echo 01 > crlnumber
for i in 1 2 3; do
  # A failing run is reported with openssl's own words instead of ending the script (pipefail).
  out=$( { /usr/bin/time -f "openssl ca -gencrl: %e s" openssl ca -gencrl -config ca.cnf \
    -out peer.crl; } 2>&1 ) || { echo "openssl ca -gencrl run $i failed:"; echo "$out" | tail -5; }
  echo "$out" | grep "gencrl:" || true
done
echo "work dir: $W"
