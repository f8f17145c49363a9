#!/usr/bin/env bash
# Starts the stripe-emulator, the four services and the operator console (ops-console, SUITE_PORT_BASE+5)
# against the local Postgres, waits until every one is ready, walks the demo flow, then keeps the suite running until Ctrl-C.
#   ./run.sh        build what is missing, start, demo, keep running
#   ./run.sh --ci   the same as a system test: stop after the demo, exit non-zero on any failure
# Logs: .run/logs/<name>.log   Metrics scraped after the demo (--ci): .run/metrics/<name>.prom
# Env (to run a second suite beside the first): SUITE_PORT_BASE (8080: services on +1..+4),
#   EMULATOR_PORT (12111), SUITE_DB (payments; --ci: payments_ci, dropped and created afresh so a
#   database left by another branch's migrations can never fail the system test), SUITE_RUN_DIR (.run).
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/." && pwd)/.mvn/java-home.sh" # JDK 21+
cd "$(dirname "$0")"
root="$(pwd)"
mode="interactive"
[ "${1:-}" = "--ci" ] && mode="ci"

export SUITE_PORT_BASE="${SUITE_PORT_BASE:-8080}" EMULATOR_PORT="${EMULATOR_PORT:-12111}"
default_db=payments
[ "$mode" = ci ] && default_db=payments_ci
export SUITE_DB="${SUITE_DB:-$default_db}" SUITE_RUN_DIR="${SUITE_RUN_DIR:-$root/.run}"
# Duplicated and shuffled webhook deliveries, as real Stripe may send them.
export EMULATOR_FAULTS="${EMULATOR_FAULTS:-{\"seed\":7,\"deliveries\":{\"duplicateRate\":0.3,\"duplicateCopies\":2,\"shuffle\":true}}}"
services="checkout webhook refund audit"
port_of() { case "$1" in checkout) echo $((SUITE_PORT_BASE + 1));; webhook) echo $((SUITE_PORT_BASE + 2));;
  refund) echo $((SUITE_PORT_BASE + 3));; audit) echo $((SUITE_PORT_BASE + 4));; esac; }
logs="$SUITE_RUN_DIR/logs"

stop_all() {
  trap - EXIT INT TERM
  echo "Stopping the suite..."
  scripts/suite-start.sh stop || true
}
trap 'exit 130' INT TERM

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "Postgres"
scripts/ensure-postgres.sh
if [ "$mode" = ci ]; then
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $SUITE_DB WITH (FORCE)"
fi
PAYMENTS_DATABASES="$SUITE_DB" scripts/db-setup.sh

say "Build"
scripts/build-if-needed.sh

say "Starting the stripe-emulator on :$EMULATOR_PORT and the services"
trap stop_all EXIT
scripts/suite-start.sh start

say "Demo flow"
status=0
CHECKOUT_URL="http://127.0.0.1:$(port_of checkout)" WEBHOOK_URL="http://127.0.0.1:$(port_of webhook)" \
REFUND_URL="http://127.0.0.1:$(port_of refund)" AUDIT_URL="http://127.0.0.1:$(port_of audit)" \
EMULATOR_URL="http://127.0.0.1:$EMULATOR_PORT" scripts/demo-flow.sh || status=$?

if [ "$mode" = "ci" ]; then
  mkdir -p "$SUITE_RUN_DIR/metrics"
  for name in $services; do
    curl -fsS "http://127.0.0.1:$(port_of "$name")/q/metrics" >"$SUITE_RUN_DIR/metrics/$name-service.prom"
  done
  if [ "$status" -ne 0 ]; then
    echo "Demo flow FAILED (exit $status). Logs in $logs" >&2
    for name in $services; do echo "--- $name-service" >&2; tail -n 15 "$logs/$name-service.log" >&2; done
  fi
  exit "$status"
fi

[ "$status" -eq 0 ] || echo "The demo flow failed (exit $status); the suite keeps running for a look. Logs: $logs"
cat <<MSG

The suite is running:
  checkout-service  http://127.0.0.1:$(port_of checkout)   (frontend API, /q/openapi)
  webhook-service   http://127.0.0.1:$(port_of webhook)   (POST /webhooks/stripe)
  refund-service    http://127.0.0.1:$(port_of refund)
  audit-service     http://127.0.0.1:$(port_of audit)
  stripe-emulator   http://127.0.0.1:$EMULATOR_PORT
  ops-console       http://127.0.0.1:$((SUITE_PORT_BASE + 5))   (operator console, ops-console/README.md)
Console login (local only): open the console URL, type an operator id (e.g. ops.local), keep
        super_admin and press "Log in": it mints a user token with .run/keys/user-idp/private.pem
        (as scripts/mint-token.sh does), so the services audit every action under that id.
Tokens: scripts/mint-token.sh <user-uuid> user|super_admin
        scripts/mint-token.sh --service <name> --audience <name>
Logs:   $logs
Press Ctrl-C to stop everything.
MSG
while sleep 3600; do :; done
