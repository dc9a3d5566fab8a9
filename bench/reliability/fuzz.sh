#!/usr/bin/env bash
# Fuzzes each parser target for a while (default 10 minutes each) with Jazzer. Findings are written
# by Jazzer under server/src/test/resources/.../<Class>Inputs/<target>/ as crash-* files: commit
# them as regression inputs after fixing.
#   bash bench/reliability/fuzz.sh [seconds-per-target]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-600}
mvn -q -B -DskipTests install >/dev/null
for t in ParserFuzzTest#csr ParserFuzzTest#ocspRequest ParserFuzzTest#revocationRequest \
         ParserFuzzTest#openPgpUpload ParserFuzzTest#hkpQuery ParserFuzzTest#mailbox \
         RestJsonFuzzTest#tokenBody_decodesOrIsMalformed; do
  echo "=== $t (${SECS}s in rounds of the target's 30 s maxDuration; the corpus carries over)"
  for _ in $(seq 1 $(( (SECS + 29) / 30 ))); do
    (cd server && JAZZER_FUZZ=1 mvn -q -B -o test -Dtest="$t" 2>&1 \
        | grep -E "Done|FAIL|Exception|crash-" || true)
  done
done
