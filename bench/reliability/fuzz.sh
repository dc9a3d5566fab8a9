#!/usr/bin/env bash
# Long fuzz: runs every Jazzer @FuzzTest of the server module in fuzzing mode for SECONDS each
# (default 600 = 10 minutes), one JVM per target. The duration overrides the annotation's
# maxDuration through Jazzer's option JAZZER_MAX_DURATION. The generated corpus is kept in
# server/.cifuzz-corpus/ (ignored by git) and carries over to the next run; a finding is written by
# Jazzer as crash-<sha1> into server/src/test/resources/org/keyhaven/server/fuzz/<Class>Inputs/
# <target>/, where plain `mvn test` replays it from then on: fix the bug and commit the file.
#
#   bash bench/reliability/fuzz.sh [seconds-per-target] [Class#target ...]
#   MVN_ARGS="-Dmaven.repo.local=/path/m2" bash bench/reliability/fuzz.sh 60
# SKIP_BUILD=1 skips the initial `mvn install` (modules already installed).
# Exit status: 0 if no target found anything, 1 otherwise. Per-target summary lines go to stdout;
# the full Jazzer output of each target is in bench/out/fuzz/<target>.log.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
SECS=${1:-600}
shift || true
MVN="mvn -B -ntp ${MVN_ARGS:-}"
OUT="$ROOT/bench/out/fuzz"
mkdir -p "$OUT"
if [[ $# -gt 0 ]]; then
  TARGETS=("$@")
else
  TARGETS=()
  for f in server/src/test/java/org/keyhaven/server/fuzz/*FuzzTest.java; do
    cls=$(basename "$f" .java)
    for m in $(grep -A3 '@FuzzTest' "$f" | sed -n 's/.*void \([A-Za-z0-9_]*\)(.*/\1/p'); do
      TARGETS+=("$cls#$m")
    done
  done
fi
[[ -n "${SKIP_BUILD:-}" ]] || $MVN -q -DskipTests install >/dev/null || { echo "build failed" >&2; exit 2; }
found=0
echo "fuzz: ${#TARGETS[@]} targets, ${SECS}s each, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for t in "${TARGETS[@]}"; do
  log="$OUT/${t//#/_}.log"
  start=$(date +%s)
  (cd server && JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${SECS}s" $MVN -o test -Dtest="$t" \
      -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1)
  rc=$?
  took=$(( $(date +%s) - start ))
  # libFuzzer's last status line: "#<execs> DONE cov: <edges> ft: <features> corp: <n>/<size> ..."
  done_line=$(grep -aE '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1)
  execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$done_line")
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$done_line")
  crashes=$(grep -aoE 'crash-[0-9a-f]{40}' "$log" | sort -u | tr '\n' ' ')
  if [[ $rc -ne 0 || -n "$crashes" ]]; then
    found=1
    echo "FINDING $t: exit $rc after ${took}s; ${crashes:-see $log}"
  else
    echo "ok $t: ${execs:-?} execs, cov ${cov:-?} edges, ${took}s wall (incl. Maven start)"
  fi
done
echo "fuzz: done, load $(cut -d' ' -f1-3 /proc/loadavg)"
exit $found
