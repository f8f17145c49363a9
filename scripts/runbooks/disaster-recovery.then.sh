# Everything the restored database lacked is back, with its original ids, through the owning services;
# and a second apply changes nothing.
eventually 30 "listing $LISTING_ID active after disaster recovery" is_status "$LISTING_ID" "$dr_tok" active
[ "$(sql "SELECT count(*) FROM checkout.payment WHERE payment_intent_id = '$dr_pi' AND status = 'succeeded'")" = 1 ] \
  || fixture_fail "payment of $dr_pi not succeeded in checkout"
[ "$(sql "SELECT status || ' ' || owner_id || ' ' || activated_by_payment_id FROM checkout.listing WHERE id = '$dr_lost'")" = "active $dr_user $dr_fee_payment" ] \
  || fixture_fail "listing $dr_lost not restored active, owned by $dr_user, activated by $dr_fee_payment"
[ "$(sql "SELECT string_agg(id || ':' || status, ' ' ORDER BY purpose) FROM checkout.payment WHERE listing_id = '$dr_lost'")" \
  = "$dr_fee_payment:succeeded $dr_promo_payment:succeeded" ] || fixture_fail "payments of $dr_lost not restored under their ids"
[ "$(sql "SELECT type || ' ' || status FROM checkout.promotion WHERE payment_id = '$dr_promo_payment'")" = "featured active" ] \
  || fixture_fail "featured promotion of $dr_lost not restored"
dr_restored() { [ "$(sql "SELECT status || ' ' || amount || ' ' || stripe_refund_id FROM refund.refund_request WHERE id = '$dr_refund'")" = "processed 200 $dr_stripe_refund" ]; }
eventually 30 "refund request $dr_refund restored from Stripe" dr_restored
[ "$(sql "SELECT captured || ' ' || reserved || ' ' || refunded_externally FROM refund.refund_payment WHERE payment_intent_id = '$dr_fee_pi'")" = "500 200 0" ] \
  || fixture_fail "refund ledger of $dr_fee_pi not rebuilt (captured 500, reserved 200)"

dr_counts() { sql "SELECT (SELECT count(*) FROM checkout.listing) || ' ' || (SELECT count(*) FROM checkout.payment) || ' ' || (SELECT count(*) FROM checkout.promotion) || ' ' || (SELECT count(*) FROM refund.refund_request) || ' ' || (SELECT count(*) FROM refund.refund_payment)"; }
dr_before="$(dr_counts)"
dr_again="$(scripts/recover.sh --since "$SINCE" --apply)"
grep -qx 'to restore: 0' <<<"$dr_again" || fixture_fail "a second apply still had work: $dr_again"
sleep 2
[ "$(dr_counts)" = "$dr_before" ] || fixture_fail "a second apply changed rows: $dr_before -> $(dr_counts)"
echo "then: listing $dr_lost, its payments, promotion and refund restored; $LISTING_ID active; a second apply is a no-op"
