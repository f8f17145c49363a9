#!/usr/bin/env bash
# Runs the official Stripe CLI's `stripe trigger` against a freshly started emulator jar and checks
# that the expected events exist. Installs the CLI from npm into a temp dir when `stripe` is not on
# PATH; exits 0 with "skipped: CLI not installable" when that is impossible.
#   scripts/cli-triggers.sh          # payment_intent.succeeded + payment_intent.payment_failed
#   scripts/cli-triggers.sh --all    # also every other trigger the emulator supports
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.mvn/java-home.sh" # JDK 21+

MODULE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT_DIR="$(cd "$MODULE_DIR/.." && pwd)"
JAR="$MODULE_DIR/target/stripe-emulator.jar"
WORK="$(mktemp -d)"
EMULATOR_PID=""

cleanup() {
  if [[ -n "$EMULATOR_PID" ]]; then kill "$EMULATOR_PID" 2>/dev/null || true; wait "$EMULATOR_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- the CLI -------------------------------------------------------------------------------------
STRIPE_BIN="$(command -v stripe || true)"
if [[ -z "$STRIPE_BIN" ]]; then
  if command -v npm >/dev/null 2>&1 \
     && timeout 300 npm install --silent --no-audit --no-fund --prefix "$WORK/cli" @stripe/cli >"$WORK/npm.log" 2>&1 \
     && [[ -x "$WORK/cli/node_modules/.bin/stripe" ]]; then
    STRIPE_BIN="$WORK/cli/node_modules/.bin/stripe"
  fi
fi
if [[ -z "$STRIPE_BIN" ]] || ! "$STRIPE_BIN" version >/dev/null 2>&1; then
  echo "skipped: CLI not installable"
  exit 0
fi
export STRIPE_CLI_TELEMETRY_OPTOUT=1
export XDG_CONFIG_HOME="$WORK/config"   # keep the CLI's config out of the user's home
echo "using $("$STRIPE_BIN" version 2>/dev/null | head -1)"

# --- the emulator --------------------------------------------------------------------------------
if [[ ! -f "$JAR" ]]; then
  (cd "$ROOT_DIR" && ./mvnw -q -pl stripe-emulator package -DskipTests)
fi
EMULATOR_PORT=0 java -jar "$JAR" >"$WORK/emulator.log" 2>&1 &
EMULATOR_PID=$!
BASE=""
for _ in $(seq 1 100); do
  BASE="$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$WORK/emulator.log" | head -1 | sed 's/listening on //' || true)"
  [[ -n "$BASE" ]] && break
  kill -0 "$EMULATOR_PID" 2>/dev/null || { cat "$WORK/emulator.log"; echo "emulator did not start"; exit 1; }
  sleep 0.1
done
[[ -n "$BASE" ]] || { cat "$WORK/emulator.log"; echo "emulator did not start"; exit 1; }
echo "emulator at $BASE"

KEY="sk_test_emulator_cli_triggers"
failures=0

# trigger EVENT EXPECTED_EVENT...: runs the trigger, then checks each expected event type exists
trigger() {
  local name="$1"; shift
  curl -sf -X POST "$BASE/_emulator/reset" >/dev/null   # each check sees only this trigger's events
  if ! "$STRIPE_BIN" --api-base "$BASE" --api-key "$KEY" trigger "$name" >"$WORK/trigger.log" 2>&1 \
     || ! grep -q "Trigger succeeded" "$WORK/trigger.log"; then
    echo "FAIL trigger $name"; sed 's/^/    /' "$WORK/trigger.log"; failures=$((failures + 1)); return
  fi
  local expected
  for expected in "$@"; do
    if ! curl -sf -H "Authorization: Bearer $KEY" "$BASE/v1/events?type=$expected&limit=1" | grep -q '"id": "evt_'; then
      echo "FAIL trigger $name: no $expected event"; failures=$((failures + 1)); return
    fi
  done
  echo "ok   trigger $name -> $*"
}

trigger payment_intent.succeeded payment_intent.created charge.succeeded payment_intent.succeeded
trigger payment_intent.payment_failed charge.failed payment_intent.payment_failed

if [[ "${1:-}" == "--all" ]]; then
  trigger payment_intent.created payment_intent.created
  trigger payment_intent.canceled payment_intent.canceled
  trigger payment_intent.amount_capturable_updated payment_intent.amount_capturable_updated
  trigger charge.succeeded charge.succeeded
  trigger charge.failed charge.failed
  trigger charge.captured charge.captured
  trigger charge.refunded charge.refunded refund.created
  trigger charge.dispute.created charge.dispute.created
  trigger charge.dispute.closed charge.dispute.closed
fi

if [[ "$failures" -gt 0 ]]; then
  echo "$failures trigger check(s) failed"
  exit 1
fi
echo "all trigger checks passed"
