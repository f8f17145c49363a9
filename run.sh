#!/usr/bin/env bash
# Starts the stripe-emulator and the four services against the local Postgres, waits until every
# one is ready, walks the demo flow, then keeps the suite running until Ctrl-C.
#   ./run.sh        build what is missing, start, demo, keep running
#   ./run.sh --ci   the same as a system test: stop after the demo, exit non-zero on any failure
# Logs: .run/logs/<name>.log   Metrics scraped after the demo (--ci): .run/metrics/<name>.prom
set -euo pipefail
cd "$(dirname "$0")"
root="$(pwd)"
mode="interactive"
[ "${1:-}" = "--ci" ] && mode="ci"
run_dir="$root/.run"
logs="$run_dir/logs"
mkdir -p "$logs"

services="checkout:8081 webhook:8082 refund:8083 audit:8084"
emulator_port="${EMULATOR_PORT:-12111}"
webhook_secret="whsec_local_emulator_secret"
pids=()

stop_all() {
  trap - EXIT INT TERM
  if [ "${#pids[@]}" -gt 0 ]; then
    echo "Stopping the suite..."
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
  fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "Postgres"
scripts/ensure-postgres.sh
PAYMENTS_DATABASES=payments scripts/db-setup.sh
keys="$(scripts/keys.sh)"

say "Build"
needs_build() {
  local jar
  [ -f stripe-emulator/target/stripe-emulator.jar ] || return 0
  for entry in $services; do
    jar="${entry%%:*}-service/target/quarkus-app/quarkus-run.jar"
    [ -f "$jar" ] || return 0
    [ -z "$(find "${entry%%:*}-service/src" payments-common/src stripe-emulator/src pom.xml -newer "$jar" -type f 2>/dev/null | head -n 1)" ] || return 0
  done
  return 1
}
if needs_build; then
  echo "Building the suite (./mvnw package -DskipTests)..."
  ./mvnw -B -q package -DskipTests
else
  echo "Jars are up to date."
fi

for port in "$emulator_port" 8081 8082 8083 8084; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use: stop whatever holds it (an earlier ./run.sh?) and try again." >&2
    exit 1
  fi
done

say "Starting the stripe-emulator on :$emulator_port and the services"
# Duplicated and shuffled webhook deliveries, as real Stripe may send them.
default_faults='{"seed":7,"deliveries":{"duplicateRate":0.3,"duplicateCopies":2,"shuffle":true}}'
EMULATOR_PORT="$emulator_port" \
EMULATOR_WEBHOOK_ENDPOINTS="http://127.0.0.1:8082/webhooks/stripe|$webhook_secret" \
EMULATOR_FAULTS="${EMULATOR_FAULTS:-$default_faults}" \
  java -Xmx128m -XX:+UseSerialGC -jar stripe-emulator/target/stripe-emulator.jar >"$logs/stripe-emulator.log" 2>&1 &
pids+=($!)

java_opts="${SUITE_JAVA_OPTS:--XX:+UseSerialGC -Xmx160m -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -Xss512k}"
for entry in $services; do
  name="${entry%%:*}"
  # shellcheck disable=SC2086
  QUARKUS_HTTP_PORT="${entry##*:}" \
  QUARKUS_DATASOURCE_PASSWORD="${name}_svc" \
  STRIPE_SECRET_KEY="sk_test_local_emulator" \
  STRIPE_WEBHOOK_SECRET="$webhook_secret" \
  STRIPE_API_BASE="http://127.0.0.1:$emulator_port" \
  MP_JWT_VERIFY_PUBLICKEY_LOCATION="$keys/public.pem" \
  SMALLRYE_JWT_SIGN_KEY_LOCATION="$keys/private.pem" \
  CHECKOUT_ALLOWED_ORIGINS="http://localhost:3000" \
    java $java_opts -jar "$name-service/target/quarkus-app/quarkus-run.jar" >"$logs/$name-service.log" 2>&1 &
  pids+=($!)
done

wait_ready() {
  local name="$1" url="$2" deadline=$((SECONDS + 90))
  until curl -fs -o /dev/null "$url"; do
    if [ $SECONDS -ge $deadline ]; then
      echo "$name did not become ready; last log lines ($logs/$name.log):" >&2
      tail -n 20 "$logs/$name.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "  $name ready ($url)"
}
wait_ready stripe-emulator "http://127.0.0.1:$emulator_port/_emulator/health"
for entry in $services; do
  wait_ready "${entry%%:*}-service" "http://127.0.0.1:${entry##*:}/q/health/ready"
done

say "Demo flow"
status=0
EMULATOR_URL="http://127.0.0.1:$emulator_port" scripts/demo-flow.sh || status=$?

if [ "$mode" = "ci" ]; then
  mkdir -p "$run_dir/metrics"
  for entry in $services; do
    curl -fsS "http://127.0.0.1:${entry##*:}/q/metrics" >"$run_dir/metrics/${entry%%:*}-service.prom"
  done
  if [ "$status" -ne 0 ]; then
    echo "Demo flow FAILED (exit $status). Logs in $logs" >&2
    for entry in $services; do echo "--- ${entry%%:*}-service" >&2; tail -n 15 "$logs/${entry%%:*}-service.log" >&2; done
  fi
  exit "$status"
fi

[ "$status" -eq 0 ] || echo "The demo flow failed (exit $status); the suite keeps running for a look. Logs: $logs"
cat <<MSG

The suite is running:
  checkout-service  http://127.0.0.1:8081   (frontend API, /q/openapi)
  webhook-service   http://127.0.0.1:8082   (POST /webhooks/stripe)
  refund-service    http://127.0.0.1:8083
  audit-service     http://127.0.0.1:8084
  stripe-emulator   http://127.0.0.1:$emulator_port
Tokens: scripts/mint-token.sh <user-uuid> user|super_admin|service
Logs:   $logs
Press Ctrl-C to stop everything.
MSG
wait
