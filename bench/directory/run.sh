#!/usr/bin/env bash
# Directory benchmark (issue 5): N people entries with distinct certificates, UnboundID searchrate
# by mail against the embedded server and Debian slapd (mdb) loaded with the same entries, same run.
# Usage: bench/directory/run.sh [N] [SECONDS] [THREADS]     (from the repository root)
# Needs: java 17, mvn, slapd + ldap-utils (slapd-peer recipe), 127.0.0.1 only.
set -euo pipefail
N=${1:-100000}; SECS=${2:-20}; THREADS=${3:-8}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/kh-dirbench.XXXX)
EPORT=${EPORT:-13890}; SPORT=${SPORT:-13891}
(cd "$ROOT/directory" && mvn -q -B dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null)
CP="$ROOT/directory/target/classes:$(cat "$WORK/cp.txt")"
SDK=$(tr ':' '\n' < "$WORK/cp.txt" | grep unboundid-ldapsdk | head -1)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

java -Xmx4g -cp "$CP" "$ROOT/bench/directory/Bench.java" "$N" "$EPORT" "$WORK/people.ldif" \
  > "$WORK/embedded.log" 2>&1 &
PIDS+=($!)
until grep -q '^READY' "$WORK/embedded.log"; do
  kill -0 "${PIDS[0]}" || { cat "$WORK/embedded.log"; exit 1; }; sleep 1; done
grep -v '^READY' "$WORK/embedded.log"

mkdir -p "$WORK/slapd/db"
cat > "$WORK/slapd/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
pidfile $WORK/slapd/slapd.pid
modulepath /usr/lib/ldap
moduleload back_mdb
access to * by * read
sizelimit 1000
database mdb
suffix "dc=example,dc=org"
rootdn "cn=admin,dc=example,dc=org"
rootpw secret
directory $WORK/slapd/db
maxsize 4294967296
index objectClass eq
index mail,uid eq
CONF
t0=$(date +%s.%N)
/usr/sbin/slapadd -q -f "$WORK/slapd/slapd.conf" -l "$WORK/people.ldif"
t1=$(date +%s.%N)
echo "slapd: slapadd -q of $N entries: $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}') s; mdb size $(du -sh "$WORK/slapd/db" | cut -f1)"
/usr/sbin/slapd -h "ldap://127.0.0.1:$SPORT/" -f "$WORK/slapd/slapd.conf" -d 0 > "$WORK/slapd.log" 2>&1 &
PIDS+=($!)
until ldapsearch -x -H "ldap://127.0.0.1:$SPORT" -s base -b "" namingContexts >/dev/null 2>&1; do sleep 0.2; done

rate() {
  java -cp "$SDK" com.unboundid.ldap.sdk.examples.SearchRate -h 127.0.0.1 -p "$1" \
    -b "dc=example,dc=org" -s sub -f "(mail=user[1-$N]@example.org)" -A "userCertificate;binary" \
    -t "$THREADS" -i 5 -I $((SECS / 5)) --warmUpIntervals 1 2>&1 | tail -4
}
echo "== embedded (UnboundID InMemoryDirectoryServer + Keyhaven interceptor), $THREADS threads"
rate "$EPORT"
echo "== slapd 2.5 mdb, $THREADS threads"
rate "$SPORT"
echo "slapd RSS: $(ps -o rss= -p "${PIDS[1]}") KiB; embedded JVM RSS: $(ps -o rss= -p "${PIDS[0]}") KiB"
rm -rf "$WORK"
