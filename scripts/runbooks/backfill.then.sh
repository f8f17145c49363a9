eventually 30 "listing $LISTING_ID active after recovery" is_status "$LISTING_ID" "$bf_tok" active
[ "$(sql "SELECT count(*) FROM checkout.payment WHERE payment_intent_id = '$bf_pi' AND status = 'succeeded'")" = 1 ] \
  || fixture_fail "payment of $bf_pi not succeeded in checkout"
echo "then: listing $LISTING_ID active, its payment succeeded"
