#!/usr/bin/env bash
# The README's first command, checked for real: ./keyhaven serve on a fresh data dir reaches the
# ready line, /health answers 200 UP, and SIGTERM stops it cleanly (exit 0 or 143).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=$(mktemp -d)
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
HTTP=$(free_port); HKP=$(free_port); LDAP=$(free_port)
./keyhaven serve --data-dir "$DIR/data" --http-port "$HTTP" --hkp-port "$HKP" --ldap-port "$LDAP" \
  >"$DIR/out" 2>"$DIR/err" &
PID=$!
for _ in $(seq 1 120); do
  grep -q '^keyhaven ready ' "$DIR/out" && break
  kill -0 $PID 2>/dev/null || { cat "$DIR/err"; echo "smoke: server died"; exit 1; }
  sleep 0.5
done
grep '^keyhaven ready ' "$DIR/out" || { cat "$DIR/err"; echo "smoke: no ready line"; kill $PID; exit 1; }
BODY=$(curl -fsS "http://127.0.0.1:$HTTP/health")
echo "smoke: /health -> $BODY"
[[ "$BODY" == *'"status":"UP"'* ]] || { echo "smoke: health not UP"; kill $PID; exit 1; }
[[ "$(stat -c %a "$DIR/data/admin-token")" == 600 ]] || { echo "smoke: admin-token not 0600"; exit 1; }
if grep -q "$(cat "$DIR/data/admin-token")" "$DIR/out" "$DIR/err"; then echo "smoke: token leaked to log"; exit 1; fi
kill -TERM $PID
set +e; wait $PID; CODE=$?; set -e
[[ $CODE == 0 || $CODE == 143 ]] || { echo "smoke: exit code $CODE after SIGTERM"; cat "$DIR/err"; exit 1; }
grep -q "keyhaven stopped" "$DIR/err" || { echo "smoke: no clean stop"; cat "$DIR/err"; exit 1; }
echo "smoke: serve OK (clean stop, exit $CODE)"
rm -rf "$DIR"
