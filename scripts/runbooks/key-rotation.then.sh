# Every Stripe-using service runs with the new key (its process environment), and serves.
[ "$(jq -r '."secret-key"' "$SUITE_RUN_DIR/secrets/homepage-stripe-credentials.json")" = "$NEW_STRIPE_SECRET_KEY" ] \
  || fixture_fail "the Secret does not hold the new key"
for kr in checkout:$CHECKOUT_URL webhook:$WEBHOOK_URL refund:$REFUND_URL; do
  kr_name="${kr%%:*}"; kr_url="${kr#*:}"
  kr_pid="$(cat "$SUITE_RUN_DIR/pids/$kr_name.pid")"
  tr '\0' '\n' <"/proc/$kr_pid/environ" | grep -qx "STRIPE_SECRET_KEY=$NEW_STRIPE_SECRET_KEY" \
    || fixture_fail "$kr_name-service does not run with the new key"
  curl -fs -o /dev/null "$kr_url/q/health/ready" || fixture_fail "$kr_name-service not ready"
done
echo "then: checkout, webhook and refund run with the rotated key; the rehearsal's refusal is in the trace above"
