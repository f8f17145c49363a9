#!/usr/bin/env bash
# CI check of the dev loop: scripts/dev.sh <service> starts the rest of the suite, then the exact
# README command `./mvnw quarkus:dev -pl <service>-service` must come up (health ready) and serve
# one real API call. Default service: checkout (its call: listing -> checkout -> PaymentIntent at
# the emulator, through every layer of dev mode).
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.mvn/java-home.sh" # JDK 21+
cd "$(dirname "$0")/.."
service="${1:-checkout}"
log=".run/dev/logs/$service-service.quarkus-dev.log"
dev_pid=""
cleanup() {
  if [ -n "$dev_pid" ]; then kill -- "-$dev_pid" 2>/dev/null || kill "$dev_pid" 2>/dev/null || true; fi
  scripts/dev.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

# A database of its own, made afresh: the check must not depend on what earlier runs left.
export SUITE_DB=payments_devcheck
psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $SUITE_DB WITH (FORCE)" 2>/dev/null || true
scripts/dev.sh "$service" >/dev/null
mkdir -p "$(dirname "$log")"
set -m # own process group, so the Maven launcher and the forked dev JVM stop together
QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:5432/$SUITE_DB" \
  ./mvnw -B quarkus:dev -pl "$service-service" </dev/null >"$log" 2>&1 &
dev_pid=$!
set +m
port=$(case "$service" in checkout) echo 8081;; webhook) echo 8082;; refund) echo 8083;; audit) echo 8084;; esac)
deadline=$((SECONDS + 300))
until curl -fs -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do
  if [ $SECONDS -ge $deadline ] || ! kill -0 "$dev_pid" 2>/dev/null; then
    echo "FAILED: quarkus:dev of $service-service did not become ready; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  sleep 1
done
echo "ok   ./mvnw quarkus:dev -pl $service-service is ready on :$port"
curl -fs -o /dev/null "http://127.0.0.1:$port/q/dev-ui/" && echo "ok   Dev UI answers at /q/dev-ui"

if [ "$service" = checkout ]; then
  user="$(cat /proc/sys/kernel/random/uuid)"
  token="$(scripts/mint-token.sh "$user" user)"
  auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
  housing=$(curl -fsS "${auth[@]}" "http://127.0.0.1:$port/api/marketplace/categories" | jq -r '.[] | select(.name == "Housing") | .id')
  listing=$(curl -fsS "${auth[@]}" -X POST "http://127.0.0.1:$port/api/marketplace/listings" \
    -d "{\"categoryId\":\"$housing\",\"title\":\"Dev loop check\"}" | jq -r .id)
  pi=$(curl -fsS "${auth[@]}" -X POST "http://127.0.0.1:$port/api/marketplace/listings/$listing/checkout" -d '{}' | jq -r .paymentIntentId)
  status=$(curl -fsS "http://127.0.0.1:12111/v1/payment_intents/$pi" -H "Authorization: Bearer sk_test_local_emulator" | jq -r .status)
  [ -n "$status" ] && [ "$status" != null ] || { echo "FAILED: no PaymentIntent $pi at the emulator" >&2; exit 1; }
  echo "ok   dev-mode checkout created $pi at the emulator ($status)"
else
  curl -fsS -o /dev/null "http://127.0.0.1:$port/q/openapi" && echo "ok   /q/openapi answers"
fi
echo "dev loop check passed"
