#!/usr/bin/env bash
# The long HTTP mutation run: N mutated requests per public route (default 100,000) against a
# server on loopback with the production wiring; fails on any 5xx.
#   bash bench/reliability/http-mutation.sh [per-route]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-100000}
mvn -q -B -DskipTests install >/dev/null
(cd server && mvn -q -B -o test -Dtest=HttpMutationTest -Dkeyhaven.mutation.perRoute="$N" 2>&1 \
  | grep -E "http-mutation|Tests run|FAIL|<-")
