#!/usr/bin/env bash
# Starts the machine's local Postgres cluster if it is down (local and CI machines of this kind).
set -euo pipefail
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}"
if pg_isready -q -t 3; then
  exit 0
fi
if [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null; then
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  echo "Postgres is down; starting cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    pg_isready -q -t 1 && exit 0
    sleep 1
  done
fi
echo "Postgres is not reachable at $PGHOST:$PGPORT; start it or set PGHOST/PGPORT." >&2
exit 1
