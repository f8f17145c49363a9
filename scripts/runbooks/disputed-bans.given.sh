# A user banned after two chargebacks, one of which the merchant then won.
. scripts/runbooks/lib.sh
export USER_ID="$(uuid)"
db_tok="$(scripts/mint-token.sh "$USER_ID" user)"
read -r LISTING_ID db_pi1 < <(paid_listing "$db_tok" Housing)
read -r db_listing2 db_pi2 < <(paid_listing "$db_tok" Jobs)
export LISTING_ID
for p in "$db_pi1" "$db_pi2"; do
  charge=$(stripe_get "/v1/payment_intents/$p" | jq -r .latest_charge)
  curl -sS -f -X POST "$EM/_emulator/charges/$charge/dispute" -H 'Content-Type: application/json' -d '{"reason":"fraudulent"}' >/dev/null
done
banned() { [ "$(status_of POST "$CHECKOUT_URL/api/marketplace/listings" "$db_tok" "{\"categoryId\":\"$(category "$db_tok" Housing)\",\"title\":\"x\"}")" = 403 ]; }
eventually 60 "user banned after two chargebacks" banned
export DISPUTE="$(stripe_get "/v1/disputes?limit=100" | jq -r --arg c "$charge" '[.data[] | select(.charge == $c)][0].id')"
curl -sS -f -X POST "$EM/_emulator/disputes/$DISPUTE/close" -H 'Content-Type: application/json' -d '{"status":"won"}' >/dev/null
