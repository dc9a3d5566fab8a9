#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 (Debian's package) on 127.0.0.1:$KEYHAVEN_PG_PORT in a temp dir
# and prints the admin JDBC URL that tests read from KEYHAVEN_PG_URL.
#   .ci/postgres.sh start   -> prints the URL (idempotent: reuses a running instance)
#   .ci/postgres.sh stop
# initdb refuses to run as root, so the cluster belongs to an unprivileged user 'khpg'.
set -euo pipefail
PORT=${KEYHAVEN_PG_PORT:-55432}
DIR=${KEYHAVEN_PG_DIR:-/tmp/keyhaven-pg}
URL="jdbc:postgresql://127.0.0.1:${PORT}/postgres?user=keyhaven&password=keyhaven"

pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

case "${1:-start}" in
  start)
    if [[ -z "$(pgbin)" || ! -x "$(pgbin)/initdb" ]]; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
    fi
    BIN=$(pgbin)
    if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then echo "$URL"; exit 0; fi
    id khpg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin khpg
    rm -rf "$DIR"; mkdir -p "$DIR"; chown khpg "$DIR"; chmod 700 "$DIR"
    echo keyhaven > "$DIR/pwfile"; chown khpg "$DIR/pwfile"
    runuser -u khpg -- "$BIN/initdb" -D "$DIR/data" -U keyhaven --pwfile="$DIR/pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; exit 1; }
    runuser -u khpg -- "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=300 -c fsync=off" start >&2 \
      || { cat "$DIR/server.log" >&2; exit 1; }
    echo "$URL"
    ;;
  stop)
    BIN=$(pgbin)
    [[ -d "$DIR/data" ]] && runuser -u khpg -- "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >&2 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
