# A database restored from a backup taken at SINCE, while Stripe kept everything after it:
# - a payment that succeeded at Stripe but whose events never arrived (the rows exist, unapplied);
# - a listing paid after the backup, its featured promotion, and a partial refund the suite made:
#   the rows a backup taken before them lacks are deleted in the owning schemas (checkout, refund).
. scripts/runbooks/lib.sh
export SINCE="$(date -u -d '-1 minute' +%FT%TZ)"
dr_user="$(uuid)"; dr_tok="$(scripts/mint-token.sh "$dr_user" user)"
faults '{"seed":1,"deliveries":{"dropRate":1.0}}'
read -r LISTING_ID dr_pi < <(new_checkout "$dr_tok" Motorcycles)
export LISTING_ID
pay "$dr_pi"
sleep 1
faults '{"seed":7}'
is_status "$LISTING_ID" "$dr_tok" pending_payment || fixture_fail "listing not pending_payment"

read -r dr_lost dr_fee_pi < <(paid_listing "$dr_tok" Housing)
dr_promo_pi=$(as POST "$CHECKOUT_URL/api/marketplace/listings/$dr_lost/promote" "$dr_tok" '{"type":"featured"}' | jq -r .paymentIntentId)
pay "$dr_promo_pi"
dr_promoted() { [ "$(sql "SELECT count(*) FROM checkout.promotion p JOIN checkout.payment y ON y.id = p.payment_id WHERE y.payment_intent_id = '$dr_promo_pi' AND p.status = 'active'")" = 1 ]; }
eventually 30 "featured promotion of $dr_lost active" dr_promoted
dr_refund=$(as POST "$REFUND_URL/api/marketplace/refunds" "$dr_tok" "{\"paymentIntentId\":\"$dr_fee_pi\",\"amount\":200,\"note\":\"runbook\"}" | jq -r .id)
as POST "$REFUND_URL/admin/api/marketplace/refunds/$dr_refund/approve" "$ADMIN_TOKEN" '{"note":"runbook"}' >/dev/null
dr_refunded() { [ "$(sql "SELECT status FROM refund.refund_request WHERE id = '$dr_refund'")" = processed ]; }
eventually 60 "refund $dr_refund processed" dr_refunded
dr_fee_payment=$(sql "SELECT id FROM checkout.payment WHERE payment_intent_id = '$dr_fee_pi'")
dr_promo_payment=$(sql "SELECT id FROM checkout.payment WHERE payment_intent_id = '$dr_promo_pi'")
dr_stripe_refund=$(sql "SELECT stripe_refund_id FROM refund.refund_request WHERE id = '$dr_refund'")
sleep 2 # let the relays deliver what these left in the outboxes (audit) before the rows go

# The restore: what the backup lacks is gone from each owning schema.
psql -h 127.0.0.1 -U postgres -d "$SUITE_DB" -qX -v ON_ERROR_STOP=1 >/dev/null <<SQL
BEGIN;
DELETE FROM checkout.promotion WHERE listing_id = '$dr_lost';
DELETE FROM checkout.payment WHERE listing_id = '$dr_lost';
DELETE FROM checkout.listing WHERE id = '$dr_lost';
DELETE FROM refund.refund_request WHERE payment_intent_id IN ('$dr_fee_pi', '$dr_promo_pi');
DELETE FROM refund.refund_payment WHERE payment_intent_id IN ('$dr_fee_pi', '$dr_promo_pi');
COMMIT;
SQL
[ "$(sql "SELECT count(*) FROM checkout.listing WHERE id = '$dr_lost'")" = 0 ] || fixture_fail "listing $dr_lost not deleted"
echo "given: SINCE=$SINCE; lost: listing $dr_lost ($dr_fee_pi, featured $dr_promo_pi), refund $dr_refund ($dr_stripe_refund); unapplied: $dr_pi"
