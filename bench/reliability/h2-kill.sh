#!/usr/bin/env bash
# H2 durability under SIGKILL without the server (H2KillBench.java): many writers commit, SIGKILL
# at a random moment, restart on the same file, check that every acknowledged commit is there and
# no transaction is half there. Reproduces the H2 2.5.252 loss described in docs/SECURITY.md.
#   bash bench/reliability/h2-kill.sh [kills] [threads] [h2-version]
#   M2=/path/to/m2-repository bash bench/reliability/h2-kill.sh 40 8 2.3.232
# Exit status 0 = nothing lost or torn; 1 = a loss (the work dir with the files is kept).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KILLS=${1:-40}
THREADS=${2:-8}
VER=${3:-$(sed -n 's:.*<h2.version>\(.*\)</h2.version>.*:\1:p' "$ROOT/pom.xml")}
JAR="${M2:-$HOME/.m2/repository}/com/h2database/h2/$VER/h2-$VER.jar"
[[ -f "$JAR" ]] || { echo "no $JAR (set M2 to the local Maven repository)" >&2; exit 2; }
WORK="$(mktemp -d /tmp/kh-h2kill.XXXXXX)"
cp "$ROOT/bench/reliability/H2KillBench.java" "$WORK/"
echo "h2-kill: H2 $VER, $KILLS kills, $THREADS writers, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$WORK"
if java -cp "$JAR" H2KillBench.java parent "$WORK/db" "$KILLS" "$THREADS"; then
  rm -rf "$WORK"
  echo "h2-kill: ok, load $(cut -d' ' -f1-3 /proc/loadavg)"
else
  echo "h2-kill: LOSS; files kept in $WORK/db, load $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 1
fi
