#!/usr/bin/env bash
# Browser tests of the operator console (ops-console) against a running suite: installs Debian's
# Chromium and the npm package playwright-core if missing, starts the suite with the console on its
# own ports and a fresh database, runs ops-console/src/test/e2e/console.e2e.mjs (log in, approve and
# reject refunds, retry a dead message, replay a webhook event, payment doctor, audit trail and
# chain, lift a ban), then stops what it started. Screenshots: ops-console/target/e2e/*.png.
# Env: SUITE_PORT_BASE (18380), EMULATOR_PORT (22311), SUITE_DB (payments_console_e2e),
#      SUITE_RUN_DIR (.run/console-e2e), CHROMIUM (/usr/bin/chromium).
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.mvn/java-home.sh" # JDK 21+
cd "$(dirname "$0")/.."
root="$(pwd)"
export SUITE_PORT_BASE="${SUITE_PORT_BASE:-18380}" EMULATOR_PORT="${EMULATOR_PORT:-22311}"
export SUITE_DB="${SUITE_DB:-payments_console_e2e}" SUITE_RUN_DIR="${SUITE_RUN_DIR:-$root/.run/console-e2e}"
chromium="${CHROMIUM:-/usr/bin/chromium}"
e2e=ops-console/src/test/e2e

if [ ! -x "$chromium" ]; then
  echo "Installing Debian's chromium..."
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi
fi
if [ ! -d "$e2e/node_modules/playwright-core" ]; then
  echo "Installing playwright-core (npm ci; no browser download: Debian's chromium is used)..."
  (cd "$e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi

scripts/ensure-postgres.sh
psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $SUITE_DB WITH (FORCE)"
PAYMENTS_DATABASES="$SUITE_DB" scripts/db-setup.sh >/dev/null
scripts/build-if-needed.sh

# checkout-service dead-letters at once in this run (2 attempts, 1 s window), so the dead-message
# test needs no 4-day wait; every other setting is the suite's own.
export SUITE_ENV_CHECKOUT="${SUITE_ENV_CHECKOUT:-OUTBOX_RELAY_MAX_ATTEMPTS=2 OUTBOX_RELAY_RETRY_WINDOW=1s OUTBOX_RELAY_BASE_BACKOFF=200ms OUTBOX_RELAY_MAX_BACKOFF=500ms}"
trap 'scripts/suite-start.sh stop || true' EXIT
scripts/suite-start.sh start

port() { echo $((SUITE_PORT_BASE + $1)); }
REPO_ROOT="$root" CONSOLE_URL="http://127.0.0.1:$(port 5)" CHECKOUT_URL="http://127.0.0.1:$(port 1)" \
WEBHOOK_URL="http://127.0.0.1:$(port 2)" REFUND_URL="http://127.0.0.1:$(port 3)" AUDIT_URL="http://127.0.0.1:$(port 4)" \
EMULATOR_URL="http://127.0.0.1:$EMULATOR_PORT" CHROMIUM="$chromium" \
  node "$e2e/console.e2e.mjs"
