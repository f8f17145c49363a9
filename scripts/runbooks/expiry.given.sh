# A featured promotion whose end has passed but that is still active (the job did not run).
. scripts/runbooks/lib.sh
ex_tok="$(scripts/mint-token.sh "$(uuid)" user)"
read -r ex_listing ex_pi < <(paid_listing "$ex_tok" Housing)
ex_promo_pi=$(as POST "$CHECKOUT_URL/api/marketplace/listings/$ex_listing/promote" "$ex_tok" '{"type":"featured"}' | jq -r .paymentIntentId)
pay "$ex_promo_pi"
promoted() { [ "$(sql "SELECT count(*) FROM checkout.promotion p JOIN checkout.payment y ON y.id = p.payment_id WHERE y.payment_intent_id = '$ex_promo_pi' AND p.status = 'active'")" = 1 ]; }
eventually 30 "featured promotion active" promoted
sql "UPDATE checkout.promotion SET starts_at = now() - interval '8 days', expires_at = now() - interval '1 hour' WHERE payment_id = (SELECT id FROM checkout.payment WHERE payment_intent_id = '$ex_promo_pi')" >/dev/null
