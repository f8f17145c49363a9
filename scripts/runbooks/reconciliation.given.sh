# "I paid but my listing is still pending_payment": the webhook never arrived (deliveries dropped).
. scripts/runbooks/lib.sh
export SINCE="$(date -u -d '-1 minute' +%FT%TZ)"
sp_tok="$(scripts/mint-token.sh "$(uuid)" user)"
faults '{"seed":1,"deliveries":{"dropRate":1.0}}'
read -r LISTING_ID sp_pi < <(new_checkout "$sp_tok" Boats)
export LISTING_ID
pay "$sp_pi"
sleep 1
faults '{"seed":7}'
is_status "$LISTING_ID" "$sp_tok" pending_payment || fixture_fail "listing not pending_payment"
