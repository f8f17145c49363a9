#!/usr/bin/env bash
# Creates (idempotently) the databases, the per-service roles and their schemas.
# Local and CI use only: production databases and roles are provisioned by ops.
# Env: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), PAYMENTS_DATABASES ("payments payments_test").
set -euo pipefail
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
databases="${PAYMENTS_DATABASES:-payments payments_test}"
services="checkout webhook refund audit"

if ! pg_isready -q -t 5; then
  echo "Postgres is not reachable at $PGHOST:$PGPORT as $PGUSER." >&2
  echo "Start it (on this machine: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start) or set PGHOST/PGPORT." >&2
  exit 1
fi

for svc in $services; do
  role="${svc}_svc"
  psql -q -v ON_ERROR_STOP=1 -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN PASSWORD '$role';
  END IF;
END \$\$;
SQL
done

for db in $databases; do
  if [ "$(psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" -d postgres)" != "1" ]; then
    psql -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db"
  fi
  for svc in $services; do
    psql -q -v ON_ERROR_STOP=1 -d "$db" -c "CREATE SCHEMA IF NOT EXISTS $svc AUTHORIZATION ${svc}_svc" \
      -c "REVOKE ALL ON SCHEMA $svc FROM PUBLIC"
  done
done
echo "Databases ready: $databases (schemas: $services)"
