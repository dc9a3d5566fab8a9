#!/usr/bin/env bash
# The long HTTP mutation run: N mutated requests per public route (default 100,000) against a
# server on loopback with the production wiring (HttpMutationTest's mutator and server, with
# -Dkeyhaven.mutation.perRoute); fails on any 5xx. Prints the request count, the number of public
# routes, distinct 5xx (must be 0) and the wall time.
#   bash bench/reliability/http-mutation.sh [per-route] [seed]
#   MVN_ARGS="-Dmaven.repo.local=/path/m2" bash bench/reliability/http-mutation.sh 100000
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-100000}
SEED=${2:-20261124}
MVN="mvn -B -ntp ${MVN_ARGS:-}"
[[ -n "${SKIP_BUILD:-}" ]] || $MVN -q -DskipTests install >/dev/null
echo "http-mutation: $N per public route, seed $SEED, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
LOG="$(mktemp)"
rc=0
(cd server && $MVN -o test -Dtest=HttpMutationTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkeyhaven.mutation.perRoute="$N" -Dkeyhaven.mutation.seed="$SEED" -Dkeyhaven.mutation.threads="${THREADS:-8}" >"$LOG" 2>&1) || rc=$?
grep -E "http-mutation|Tests run:|FAIL|<-" "$LOG" || tail -40 "$LOG"
rm -f "$LOG"
echo "http-mutation: exit $rc, $(( $(date +%s) - start )) s wall, load $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
