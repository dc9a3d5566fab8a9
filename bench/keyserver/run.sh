#!/usr/bin/env bash
# Keyserver benchmark: Keyhaven vs Debian's `sks` on the same machine, in the same run, with the
# same deterministic synthetic keys (GenKeys.java). Everything binds to 127.0.0.1.
#   bash bench/keyserver/run.sh            # N=100000
#   N=20000 bash bench/keyserver/run.sh
# Env: N, WORK (/tmp/kh-ks-bench), DURATION (20s), CONNS (16), KEYHAVEN (the launcher command),
#      CP (classpath with keyhaven-keyserver, keyhaven-common, bcprov, bcpg for GenKeys),
#      M2 (the Maven repository to build and take jars from when CP is not given).
# Prints: import rates, lookup rates and p99 for both, the parity check, and the ratios.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
N=${N:-100000}
WORK=${WORK:-/tmp/kh-ks-bench}
DURATION=${DURATION:-20s}
CONNS=${CONNS:-16}
KEYHAVEN=${KEYHAVEN:-$ROOT/keyhaven}
KH_HTTP=${KH_HTTP:-18480}; KH_HKP=${KH_HKP:-18471}; SKS_HKP=${SKS_HKP:-18481}; SKS_RECON=${SKS_RECON:-18482}
SKS=/usr/sbin/sks

log() { printf '\n=== %s\n' "$*"; }
port_busy() { ss -ltn "( sport = :$1 )" | grep -q LISTEN; }
wait_port() { for _ in $(seq 1 300); do port_busy "$1" && return 0; sleep 0.2; done; return 1; }

for p in sks wrk gpg; do
  command -v "$p" >/dev/null || [ -x "/usr/sbin/$p" ] || {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q sks wrk gnupg >&2; break; }
done
if [ -z "${CP:-}" ]; then
  M2=${M2:-$HOME/.m2/repository}
  (cd "$ROOT" && mvn -q -B -Dmaven.repo.local="$M2" -pl keyserver install -DskipTests) >&2
  CP="$ROOT/keyserver/target/keyhaven-keyserver-0.1.0-SNAPSHOT.jar"
  CP="$CP:$M2/org/keyhaven/keyhaven-common/0.1.0-SNAPSHOT/keyhaven-common-0.1.0-SNAPSHOT.jar"
  for a in bcprov bcpg bcutil; do CP="$CP:$M2/org/bouncycastle/$a-jdk18on/1.86/$a-jdk18on-1.86.jar"; done
fi

rm -rf "$WORK"; mkdir -p "$WORK"; cd "$WORK"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

log "generate $N synthetic keys (deterministic)"
java -cp "$CP" "$HERE/GenKeys.java" "$N" dump.pgp fprs.txt emails.txt
ls -l dump.pgp

log "import: keyhaven keys import"
t0=$(date +%s.%N)
$KEYHAVEN keys import --data-dir "$WORK/kh" --quiet dump.pgp 2>import.err | tee import.out
t1=$(date +%s.%N)
KH_IMPORT=$(echo "$N / ($t1 - $t0)" | bc -l)

log "import: sks build + cleandb + pbuild"
R=$WORK/sks
mkdir -p $R/etc/sks $R/var/lib/sks/dump $R/var/log/sks $R/var/run/sks $R/var/spool/sks/{messages,failed_messages}
cat > $R/etc/sks/sksconf <<CONF
hostname: bench.localhost
hkp_address: 127.0.0.1
hkp_port: $SKS_HKP
recon_address: 127.0.0.1
recon_port: $SKS_RECON
disable_mailsync:
initial_stat:
pagesize: 16
ptree_pagesize: 16
CONF
: > $R/etc/sks/membership
cp dump.pgp $R/var/lib/sks/dump/0000.pgp
t0=$(date +%s.%N)
(cd $R && $SKS build $R/var/lib/sks/dump/*.pgp -n 10 -cache 100 -basedir $R -stdoutlog > build.log 2>&1)
# Debian's sks cleandb segfaults after its merge on a fresh DB; its own sks_build.sh runs it twice.
(cd $R && { $SKS cleandb -basedir $R -stdoutlog > cleandb.log 2>&1 || $SKS cleandb -basedir $R -stdoutlog >> cleandb.log 2>&1; })
(cd $R && $SKS pbuild -cache 20 -ptree_cache 70 -basedir $R -stdoutlog > pbuild.log 2>&1)
t1=$(date +%s.%N)
SKS_IMPORT=$(echo "$N / ($t1 - $t0)" | bc -l)
printf 'keyhaven import: %.0f keys/s; sks build: %.0f keys/s\n' "$KH_IMPORT" "$SKS_IMPORT"

log "start both servers"
$KEYHAVEN serve --data-dir "$WORK/kh" --http-port $KH_HTTP --hkp-port $KH_HKP --ldap-port 0 > kh.log 2>&1 &
PIDS+=($!)
(cd $R && exec $SKS db -basedir $R -stdoutlog > db.log 2>&1 < /dev/null) &
PIDS+=($!)
wait_port $KH_HKP || { tail kh.log; exit 1; }
wait_port $SKS_HKP || { tail $R/db.log; exit 1; }

log "parity: the same lookups on both give keys gpg imports identically and agreeing index lines"
mismatch=0
for i in $(seq 0 $((N / 10)) $((N - 1))) $((N - 1)); do
  f=$(sed -n "$((i + 1))p" fprs.txt); e=$(sed -n "$((i + 1))p" emails.txt)
  for who in kh sks; do
    port=$KH_HKP; [ $who = sks ] && port=$SKS_HKP
    H=$WORK/gpg-$who-$i; mkdir -p -m 700 $H
    curl -s "http://127.0.0.1:$port/pks/lookup?op=get&options=mr&search=0x$f" > $H/key.asc
    curl -s "http://127.0.0.1:$port/pks/lookup?op=get&options=mr&search=0x${f:24}" > $H/key-id.asc
    GNUPGHOME=$H gpg --batch -q --import $H/key.asc $H/key-id.asc 2>/dev/null
    GNUPGHOME=$H gpg --batch --with-colons --fixed-list-mode --list-sigs "$f" 2>/dev/null \
      | grep -v '^tru:' > $H/list.txt
    curl -s "http://127.0.0.1:$port/pks/lookup?op=index&options=mr&fingerprint=on&search=$(echo $e | sed 's/@/%40/')" \
      | grep -E '^(pub|uid):' > $H/index.txt
    GNUPGHOME=$H gpgconf --kill all 2>/dev/null || true
  done
  # SKS key hash (op=hget): the hash each server shows for the key (HTML index, hash=on) must be
  # the same, and hget of it from each server must import into gpg as the key itself did.
  for who in kh sks; do
    port=$KH_HKP; [ $who = sks ] && port=$SKS_HKP
    H=$WORK/gpg-$who-$i
    curl -s "http://127.0.0.1:$port/pks/lookup?op=index&hash=on&search=0x$f" \
      | grep -o 'Hash=<a[^>]*>[0-9A-Fa-f]*' | sed 's/.*>//' > $H/hash.txt
    mkdir -p -m 700 $H/hget
    curl -s "http://127.0.0.1:$port/pks/lookup?op=hget&options=mr&search=$(cat $H/hash.txt)" > $H/hget.asc
    GNUPGHOME=$H/hget gpg --batch -q --import $H/hget.asc 2>/dev/null
    GNUPGHOME=$H/hget gpg --batch --with-colons --fixed-list-mode --list-sigs "$f" 2>/dev/null \
      | grep -v '^tru:' > $H/hget-list.txt
    GNUPGHOME=$H/hget gpgconf --kill all 2>/dev/null || true
  done
  if [ ! -s $WORK/gpg-kh-$i/hash.txt ] || ! cmp -s $WORK/gpg-kh-$i/hash.txt $WORK/gpg-sks-$i/hash.txt; then
    echo "key $i: SKS hash differs: keyhaven '$(cat $WORK/gpg-kh-$i/hash.txt)' sks '$(cat $WORK/gpg-sks-$i/hash.txt)'"; mismatch=1
  fi
  for who in kh sks; do
    if ! cmp -s $WORK/gpg-$who-$i/hget-list.txt $WORK/gpg-kh-$i/list.txt; then
      echo "key $i: op=hget from $who does not import as the key does"; mismatch=1
    fi
  done
  if ! cmp -s $WORK/gpg-kh-$i/list.txt $WORK/gpg-sks-$i/list.txt; then
    echo "key $i: gpg import differs"; diff $WORK/gpg-kh-$i/list.txt $WORK/gpg-sks-$i/list.txt || true; mismatch=1
  fi
  if ! cmp -s $WORK/gpg-kh-$i/index.txt $WORK/gpg-sks-$i/index.txt; then
    echo "key $i: index differs"; diff $WORK/gpg-kh-$i/index.txt $WORK/gpg-sks-$i/index.txt || true; mismatch=1
  fi
  [ -s $WORK/gpg-kh-$i/list.txt ] || { echo "key $i: nothing imported from keyhaven"; mismatch=1; }
done
[ $mismatch = 0 ] && echo "parity: OK (11 keys: gpg --list-sigs after import and mr index pub/uid lines identical; SKS hashes equal; op=hget from both imports identically)"

log "lookups with wrk: $CONNS connections, $DURATION each (each right after a ${WARMUP:-10s} warm-up walking every key in order)"
export FPRS=$WORK/fprs.txt EMAILS=$WORK/emails.txt
declare -A RPS P99
for who in kh sks; do
  port=$KH_HKP; [ $who = sks ] && port=$SKS_HKP
  for kind in get index; do
    KIND=$kind wrk -t2 -c$CONNS -d${WARMUP:-10s} -s "$HERE/warm.lua" "http://127.0.0.1:$port" > /dev/null 2>&1 || true
    wrk -t2 -c$CONNS -d$DURATION --latency -s "$HERE/$kind.lua" "http://127.0.0.1:$port" > wrk-$who-$kind.txt 2>&1 || true
    RPS[$who-$kind]=$(awk '/Requests\/sec/{print $2}' wrk-$who-$kind.txt)
    P99[$who-$kind]=$(awk '$1=="99%"{print $2}' wrk-$who-$kind.txt)
    printf '%-4s %-5s %10s req/s  p99 %s  %s\n' $who $kind "${RPS[$who-$kind]}" "${P99[$who-$kind]}" \
      "$(grep -E 'Non-2xx|Socket errors' wrk-$who-$kind.txt | tr '\n' ' ')"
  done
done

log "summary (N=$N, load average: $(cut -d' ' -f1-3 /proc/loadavg))"
printf 'import   keyhaven %.0f keys/s, sks %.0f keys/s, ratio %.2f\n' "$KH_IMPORT" "$SKS_IMPORT" \
  "$(echo "$KH_IMPORT / $SKS_IMPORT" | bc -l)"
for kind in get index; do
  printf '%-8s keyhaven %s req/s (p99 %s), sks %s req/s (p99 %s), ratio %.2f\n' $kind \
    "${RPS[kh-$kind]}" "${P99[kh-$kind]}" "${RPS[sks-$kind]}" "${P99[sks-$kind]}" \
    "$(echo "${RPS[kh-$kind]:-0} / ${RPS[sks-$kind]:-1}" | bc -l)"
done
