#!/usr/bin/env bash
# A private Postgres 15 cluster for drills that stop and start Postgres (scripts/drills.sh
# postgres-restart): never the shared cluster on 5432, which other builds use. Trust auth, user
# postgres, listening on 127.0.0.1 only. Run as root, the server runs as the postgres user.
#
#   scripts/private-postgres.sh init     initdb into PRIVATE_PG_DIR (afresh) and start it
#   scripts/private-postgres.sh start    start it (waits until it accepts connections)
#   scripts/private-postgres.sh stop     stop it (fast: open connections are closed)
#   scripts/private-postgres.sh destroy  stop it and remove PRIVATE_PG_DIR
#
# Env: PRIVATE_PG_DIR (.run/private-pg), PRIVATE_PG_PORT (55433), PG_BIN (/usr/lib/postgresql/15/bin).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${PRIVATE_PG_DIR:-$root/.run/private-pg}"
port="${PRIVATE_PG_PORT:-55433}"
bin="${PG_BIN:-/usr/lib/postgresql/15/bin}"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
data="$dir/data"

start() {
  as_pg "$bin/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on" start >/dev/null
}

case "${1:-}" in
  init)
    [ ! -f "$data/postmaster.pid" ] || as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      chown postgres: "$dir"
      # the server (user postgres) must traverse the run dir's parents: .run is 0700 (its keys/
      # stay 0700); grant search (x) only, never read, on the ones inside this checkout
      p="$(dirname "$dir")"
      while [ "${p#"$root"}" != "$p" ] && [ "$p" != "$root" ]; do chmod o+x "$p"; p="$(dirname "$p")"; done
    fi
    as_pg "$bin/initdb" -D "$data" -A trust -U postgres -E UTF8 >/dev/null
    start
    echo "private Postgres on 127.0.0.1:$port ($data)"
    ;;
  start) start ;;
  stop) as_pg "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null ;;
  destroy)
    if [ -f "$data/postmaster.pid" ]; then as_pg "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 init|start|stop|destroy" >&2; exit 2 ;;
esac
