#!/usr/bin/env bash
# Measures time from launch to the ready line (jar already built, fresh and warm data dir) and the
# idle RSS of the server process a few seconds after ready. Usage: bench/foundation/startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-5}
[[ -f server/target/keyhaven-server.jar ]] || mvn -q -B -DskipTests install
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
JAR=server/target/keyhaven-server.jar
run_once() { # $1 = data dir; prints "<ms to ready> <rss KiB after 5 s idle>"
  local out; out=$(mktemp)
  # ./keyhaven execs java, so $! is the JVM itself.
  local start; start=$(date +%s%N)
  ./keyhaven serve --data-dir "$1" --http-port "$(free_port)" --hkp-port "$(free_port)" --ldap-port "$(free_port)" >"$out" 2>/dev/null &
  local pid=$!
  until grep -q '^keyhaven ready' "$out"; do sleep 0.01; done
  local ready; ready=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 5
  local rss; rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  rm -f "$out"
  echo "$ready $rss"
}
# The launcher keeps a class-data-sharing archive; measure once without it, then with it.
rm -f server/target/keyhaven-cds.jsa
d=$(mktemp -d); read -r nocds _ < <(run_once "$d/data"); rm -rf "$d"
echo "first start without CDS archive (archive written at exit): ${nocds} ms"
echo "run first_start_ms restart_ms idle_rss_MiB"
for i in $(seq 1 "$RUNS"); do
  d=$(mktemp -d)
  read -r first _ < <(run_once "$d/data")
  read -r again rss < <(run_once "$d/data")
  echo "$i $first $again $((rss / 1024))"
  rm -rf "$d"
done
