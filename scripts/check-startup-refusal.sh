#!/usr/bin/env bash
# Production start must fail fast, with one clear line naming the variable (never its value),
# on a malformed Stripe key. Runs each Stripe-using service's jar with a publishable key.
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.mvn/java-home.sh" # JDK 21+
cd "$(dirname "$0")/.."
keys="$(scripts/keys.sh)"
bad_key="pk_live_x"
failed=0
for name in checkout webhook refund; do
  log="$(mktemp)"
  set +e
  QUARKUS_PROFILE=prod QUARKUS_HTTP_PORT=0 QUARKUS_DATASOURCE_PASSWORD="${name}_svc" \
  STRIPE_SECRET_KEY="$bad_key" STRIPE_WEBHOOK_SECRET="whsec_local_check_secret" \
  MP_JWT_VERIFY_PUBLICKEY_LOCATION="$keys/user-idp/public.pem" PAYMENTS_SERVICE_IDENTITY_PUBLIC_KEYS_DIR="$keys/services/public" \
    timeout 60 java -Xmx128m -jar "$name-service/target/quarkus-app/quarkus-run.jar" >"$log" 2>&1
  code=$?
  set -e
  if [ "$code" -eq 0 ] || [ "$code" -eq 124 ]; then
    echo "FAIL $name-service: started (or hung) with STRIPE_SECRET_KEY=$bad_key (exit $code)"; failed=1
  elif ! grep -q "Refusing to start: STRIPE_SECRET_KEY is malformed" "$log"; then
    echo "FAIL $name-service: no clear refusal line"; tail -n 5 "$log"; failed=1
  elif grep -q "$bad_key" "$log"; then
    echo "FAIL $name-service: the key's value appears in the log"; failed=1
  else
    echo "ok   $name-service refuses to start: $(grep -o 'Refusing to start: .*' "$log" | head -n 1)"
  fi
  rm -f "$log"
done
exit "$failed"
