#!/usr/bin/env bash
# H2 file growth and commit rate under one-row commits (H2GrowthBench.java), per commit mode:
#   bash bench/reliability/h2-growth.sh [commits] [threads] [idle-seconds]
# runs: WRITE_DELAY=0 (production); WRITE_DELAY=500 + MVStore.commit(); the same + executor
# flush; WRITE_DELAY=500 + CHECKPOINT; WRITE_DELAY=0 + H2's housekeeping on our own thread.
# Each in a fresh /tmp directory, one after the other.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
COMMITS=${1:-20000}
THREADS=${2:-4}
IDLE=${3:-60}
VER=$(sed -n 's:.*<h2.version>\(.*\)</h2.version>.*:\1:p' "$ROOT/pom.xml")
JAR="${M2:-$HOME/.m2/repository}/com/h2database/h2/$VER/h2-$VER.jar"
[[ -f "$JAR" ]] || { echo "no $JAR (set M2 to the local Maven repository)" >&2; exit 2; }
WORK="$(mktemp -d /tmp/kh-h2growth.XXXXXX)"
javac -cp "$JAR" -d "$WORK" "$ROOT/bench/reliability/H2GrowthBench.java"
echo "h2-growth: H2 $VER, $COMMITS commits, $THREADS threads, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
for run in "none|" "commit|;WRITE_DELAY=500" "commitflush|;WRITE_DELAY=500" "checkpoint|;WRITE_DELAY=500" "housekeep|" ${H2GROWTH_EXTRA_RUNS:-}; do
  mode=${run%%|*}; extra=${run#*|}
  while [[ -e /tmp/keyhaven-quiet ]]; do sleep 30; done
  rm -rf "$WORK/db"
  java -cp "$JAR:$WORK" H2GrowthBench "$WORK/db" "$mode" "$COMMITS" "$THREADS" "$IDLE" "$extra"
  echo "  (load $(cut -d' ' -f1-3 /proc/loadavg))"
done
rm -rf "$WORK"
