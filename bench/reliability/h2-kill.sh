#!/usr/bin/env bash
# H2 durability under SIGKILL without the server (H2KillBench.java): writers commit, SIGKILL at a
# random moment or right after an acknowledged commit, restart on the same file, check that every
# acknowledged commit is there and no transaction is half there. Reproduces the H2 2.5.252 loss
# described in docs/SECURITY.md.
#   bash bench/reliability/h2-kill.sh [kills] [threads] [h2-version] [extra-url]
#   M2=/path/to/m2-repository bash bench/reliability/h2-kill.sh 200 6 2.3.232
#   H2KILL_WORKLOAD=mix ...     the original workload (counter + row + audit row per transaction)
#   H2KILL_WORKLOAD=crl ...     (default) group-committed 1-2 KiB rows + JdbcCrlStore-like
#                               counter/blob/delete transactions, kills also right after an ack
#   H2KILL_SYNC=1 ... 2.3.232 ';WRITE_DELAY=500'   MVStore.commit() after every commit
# Exit status 0 = nothing lost, duplicated or torn; 1 = a loss (the work dir with the files is kept).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KILLS=${1:-40}
THREADS=${2:-6}
VER=${3:-$(sed -n 's:.*<h2.version>\(.*\)</h2.version>.*:\1:p' "$ROOT/pom.xml")}
EXTRA=${4:-}
JAR="${M2:-$HOME/.m2/repository}/com/h2database/h2/$VER/h2-$VER.jar"
[[ -f "$JAR" ]] || { echo "no $JAR (set M2 to the local Maven repository)" >&2; exit 2; }
WORK="$(mktemp -d /tmp/kh-h2kill.XXXXXX)"
cp "$ROOT/bench/reliability/H2KillBench.java" "$WORK/"
echo "h2-kill: H2 $VER, workload ${H2KILL_WORKLOAD:-crl}, sync ${H2KILL_SYNC:-0}, extra '$EXTRA', $KILLS kills, $THREADS threads, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
cd "$WORK"
javac -cp "$JAR" -d "$WORK" H2KillBench.java
if java -cp "$JAR:$WORK" H2KillBench parent "$WORK/db" "$KILLS" "$THREADS" "$EXTRA"; then
  rm -rf "$WORK"
  echo "h2-kill: ok, load $(cut -d' ' -f1-3 /proc/loadavg)"
else
  echo "h2-kill: LOSS; files kept in $WORK/db, load $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 1
fi
