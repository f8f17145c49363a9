# Payments that succeeded at Stripe but were never applied and whose events reconciliation does not
# bring back (the runbook goes to recovery from Stripe's PaymentIntents).
. scripts/runbooks/lib.sh
export SINCE="$(date -u -d '-1 minute' +%FT%TZ)"
dr_tok="$(scripts/mint-token.sh "$(uuid)" user)"
faults '{"seed":1,"deliveries":{"dropRate":1.0}}'
read -r LISTING_ID dr_pi < <(new_checkout "$dr_tok" Motorcycles)
export LISTING_ID
pay "$dr_pi"
sleep 1
faults '{"seed":7}'
is_status "$LISTING_ID" "$dr_tok" pending_payment || fixture_fail "listing not pending_payment"
