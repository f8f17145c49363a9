# Effect: the request is processed, Stripe has exactly one refund for the payment.
refund_processed() { [ "$(sql "SELECT status FROM refund.refund_request WHERE id = '$rb_refund'")" = processed ]; }
eventually 60 "refund $rb_refund processed after /retry" refund_processed
[ "$(stripe_get "/v1/refunds?payment_intent=$rb_pi" | jq '[.data[] | select(.status == "succeeded")] | length')" = 1 ] \
  || fixture_fail "expected exactly one Stripe refund for $rb_pi"
echo "then: refund $rb_refund processed, one refund at Stripe for $rb_pi"
