eventually 30 "listing $LISTING_ID active after disaster recovery" is_status "$LISTING_ID" "$dr_tok" active
[ "$(sql "SELECT count(*) FROM checkout.payment WHERE payment_intent_id = '$dr_pi' AND status = 'succeeded'")" = 1 ] \
  || fixture_fail "payment of $dr_pi not succeeded in checkout"
echo "then: listing $LISTING_ID active, its payment succeeded"
