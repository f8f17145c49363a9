#!/usr/bin/env bash
# Production start must fail fast, with one clear line naming the variable (never its value), on a
# Stripe configuration that would take or move money wrongly:
#   - a malformed secret key (a publishable key in STRIPE_SECRET_KEY),
#   - a test-mode key without STRIPE_TEST_MODE=true set explicitly,
#   - a publishable and a secret key of different modes (checkout-service serves the publishable one),
#   - a pinned STRIPE_API_VERSION that is not the client's.
# Runs the Stripe-using services' jars (prod profile) with each bad configuration.
# The operator console refuses its local dev login (it mints super_admin tokens) next to the
# production OIDC login or on a non-loopback address, and refuses to start with no login at all.
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.mvn/java-home.sh" # JDK 21+
cd "$(dirname "$0")/.."
keys="$(scripts/keys.sh)"
failed=0

# refuses NAME EXPECTED-LINE SECRET-VALUE-NOT-IN-LOG VAR=VALUE...
refuses() {
  local name="$1" expected="$2" hidden="$3" log code
  shift 3
  log="$(mktemp)"
  set +e
  env QUARKUS_PROFILE=prod QUARKUS_HTTP_PORT=0 QUARKUS_DATASOURCE_PASSWORD="${name}_svc" \
    STRIPE_WEBHOOK_SECRET="whsec_local_check_secret" \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION="$keys/user-idp/public.pem" PAYMENTS_SERVICE_IDENTITY_PUBLIC_KEYS_DIR="$keys/services/public" \
    "$@" timeout 180 java -Xmx128m -jar "$name-service/target/quarkus-app/quarkus-run.jar" >"$log" 2>&1
  code=$?
  set -e
  if [ "$code" -eq 0 ] || [ "$code" -eq 124 ]; then
    echo "FAIL $name-service: started (or hung) with $* (exit $code)"; failed=1
  elif ! grep -q "Refusing to start: .*$expected" "$log"; then
    echo "FAIL $name-service: no clear refusal line ($expected)"; tail -n 5 "$log"; failed=1
  elif [ -n "$hidden" ] && grep -q -- "$hidden" "$log"; then
    echo "FAIL $name-service: a key's value appears in the log"; failed=1
  else
    echo "ok   $name-service refuses to start: $(grep -o 'Refusing to start: .*' "$log" | head -n 1)"
  fi
  rm -f "$log"
}

for name in checkout webhook refund; do
  refuses "$name" "STRIPE_SECRET_KEY is malformed" "pk_live_x" STRIPE_SECRET_KEY=pk_live_x STRIPE_PUBLISHABLE_KEY=pk_live_check_key
  refuses "$name" "STRIPE_SECRET_KEY is a test-mode key; set STRIPE_TEST_MODE=true" "sk_test_check_key" \
    STRIPE_SECRET_KEY=sk_test_check_key STRIPE_PUBLISHABLE_KEY=pk_test_check_key
  refuses "$name" "STRIPE_API_VERSION is 2020-08-27 but the Stripe client is pinned to" "sk_test_check_key" \
    STRIPE_SECRET_KEY=sk_test_check_key STRIPE_PUBLISHABLE_KEY=pk_test_check_key STRIPE_TEST_MODE=true STRIPE_API_VERSION=2020-08-27
done
refuses checkout "STRIPE_PUBLISHABLE_KEY and STRIPE_SECRET_KEY are of different modes" "sk_live_check_key" \
  STRIPE_SECRET_KEY=sk_live_check_key STRIPE_PUBLISHABLE_KEY=pk_test_check_key
refuses checkout "STRIPE_PUBLISHABLE_KEY is not set" "sk_live_check_key" STRIPE_SECRET_KEY=sk_live_check_key

# console-refuses EXPECTED-LINE VAR=VALUE...
console_refuses() {
  local expected="$1" log code
  shift
  log="$(mktemp)"
  set +e
  env QUARKUS_PROFILE=prod QUARKUS_HTTP_PORT=0 CONSOLE_DEV_LOGIN_KEY="$keys/user-idp/private.pem" \
    "$@" timeout 180 java -Xmx96m -jar ops-console/target/quarkus-app/quarkus-run.jar >"$log" 2>&1
  code=$?
  set -e
  if [ "$code" -eq 0 ] || [ "$code" -eq 124 ]; then
    echo "FAIL ops-console: started (or hung) with $* (exit $code)"; failed=1
  elif ! grep -q "Refusing to start: .*$expected" "$log"; then
    echo "FAIL ops-console: no clear refusal line ($expected)"; tail -n 5 "$log"; failed=1
  else
    echo "ok   ops-console refuses to start: $(grep -o 'Refusing to start: .*' "$log" | head -n 1)"
  fi
  rm -f "$log"
}
console_refuses "the dev login (CONSOLE_DEV_LOGIN=true) is for local runs only" CONSOLE_DEV_LOGIN=true
console_refuses "listens on loopback only" CONSOLE_DEV_LOGIN=true CONSOLE_OIDC_ENABLED=false QUARKUS_HTTP_HOST=0.0.0.0
console_refuses "no login configured" CONSOLE_OIDC_ENABLED=false
exit "$failed"
