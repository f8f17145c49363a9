#!/usr/bin/env bash
# The demo flow, against a running suite (./run.sh starts it and runs this). Prints each step and
# its result; exits non-zero at the first unexpected state, so CI uses it as a system test.
# URLs: CHECKOUT_URL, REFUND_URL, WEBHOOK_URL, AUDIT_URL, EMULATOR_URL (defaults: local ports).
set -euo pipefail
cd "$(dirname "$0")/.."
CO="${CHECKOUT_URL:-http://127.0.0.1:8081}"
WH="${WEBHOOK_URL:-http://127.0.0.1:8082}"
RF="${REFUND_URL:-http://127.0.0.1:8083}"
AU="${AUDIT_URL:-http://127.0.0.1:8084}"
EM="${EMULATOR_URL:-http://127.0.0.1:12111}"
STRIPE_KEY="sk_test_local_emulator"

uuid() { cat /proc/sys/kernel/random/uuid; }
alice="$(uuid)"; bob="$(uuid)"; operator="$(uuid)"
tok_alice="$(scripts/mint-token.sh "$alice" user)"
tok_bob="$(scripts/mint-token.sh "$bob" user)"
tok_admin="$(scripts/mint-token.sh "$operator" super_admin)"

n=0
step() { n=$((n + 1)); printf '\n\033[1m%2d. %s\033[0m\n' "$n" "$*"; }
ok() { printf '    \033[32mok\033[0m  %s\n' "$*"; }
fail() { printf '    \033[31mFAILED\033[0m  %s\n' "$*" >&2; exit 1; }

# call METHOD URL TOKEN [JSON] -> body on stdout; fails on a non-2xx answer (shows the problem)
call() {
  local method="$1" url="$2" token="$3" body="${4:-}" out status
  out="$(mktemp)"
  if [ -n "$body" ]; then
    status=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$url" -H "Authorization: Bearer $token" \
      -H 'Content-Type: application/json' -d "$body")
  else
    status=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$url" -H "Authorization: Bearer $token")
  fi
  if [ "${status:0:1}" != "2" ]; then
    echo "    $method $url -> $status $(head -c 400 "$out")" >&2
    rm -f "$out"
    return 1
  fi
  cat "$out"; rm -f "$out"
}
# status_of METHOD URL TOKEN [JSON] -> HTTP status only
status_of() {
  local method="$1" url="$2" token="$3" body="${4:-}"
  if [ -n "$body" ]; then
    curl -sS -o /dev/null -w '%{http_code}' -X "$method" "$url" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body"
  else
    curl -sS -o /dev/null -w '%{http_code}' -X "$method" "$url" -H "Authorization: Bearer $token"
  fi
}
stripe_get() { curl -sS -f "$EM$1" -H "Authorization: Bearer $STRIPE_KEY"; }
# until SECONDS DESCRIPTION COMMAND... : retries COMMAND until it succeeds
until_true() {
  local seconds="$1" what="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || fail "$what (waited ${seconds}s)"
    sleep 0.3
  done
}
listing_status_is() { [ "$(call GET "$CO/api/marketplace/listings/$1" "$2" | jq -r .status)" = "$3" ]; }
pay() { curl -sS -f -X POST "$EM/_emulator/payment_intents/$1/pay" -H 'Content-Type: application/json' -d "{\"card\":\"${2:-success}\"}" >/dev/null; }
category_id() { call GET "$CO/api/marketplace/categories" "$tok_alice" | jq -r --arg n "$1" '.[] | select(.name == $n) | .id'; }
paid_listing() { # owner-token category title -> listing id, paid and active
  local token="$1" category="$2" title="$3" id pi
  id=$(call POST "$CO/api/marketplace/listings" "$token" "{\"categoryId\":\"$(category_id "$category")\",\"title\":\"$title\"}" | jq -r .id)
  pi=$(call POST "$CO/api/marketplace/listings/$id/checkout" "$token" '{}' | jq -r .paymentIntentId)
  pay "$pi"
  until_true 20 "listing $id active after payment" listing_status_is "$id" "$token" active
  echo "$id $pi"
}

step "Categories and posting fees (computed on the server)"
call GET "$CO/api/marketplace/categories" "$tok_alice" | jq -r '.[] | "    \(.name): \(.postingFee) \(.currency)"'
housing="$(category_id Housing)"
[ -n "$housing" ] || fail "no Housing category"

step "Alice creates a listing in Housing (a paid category)"
listing=$(call POST "$CO/api/marketplace/listings" "$tok_alice" "{\"categoryId\":\"$housing\",\"title\":\"Sunny room near the park\"}")
listing_id=$(jq -r .id <<<"$listing")
[ "$(jq -r .status <<<"$listing")" = "pending_payment" ] || fail "expected pending_payment: $listing"
ok "listing $listing_id is pending_payment"

step "Checkout: a PaymentIntent for the posting fee (a retried click returns the same one)"
answer=$(call POST "$CO/api/marketplace/listings/$listing_id/checkout" "$tok_alice" '{"amount":1}')
again=$(call POST "$CO/api/marketplace/listings/$listing_id/checkout" "$tok_alice" '{}')
pi=$(jq -r .paymentIntentId <<<"$answer")
[ "$(jq -r .amount <<<"$answer")" = "500" ] || fail "expected 500 cents: $answer"
[ "$(jq -r .paymentIntentId <<<"$again")" = "$pi" ] || fail "a retried checkout made a second PaymentIntent"
ok "PaymentIntent $pi for $(jq -r '"\(.amount) \(.currency)"' <<<"$answer") (the amount sent by the client is ignored), client secret handed to the owner only"

step "Bob cannot see Alice's listing (404, as if it did not exist)"
[ "$(status_of GET "$CO/api/marketplace/listings/$listing_id" "$tok_bob")" = "404" ] || fail "bob saw alice's listing"
ok "404 problem+json"

step "Alice pays in the browser (Stripe.js confirms with a test card)"
pay "$pi"
ok "emulator: $(stripe_get "/v1/payment_intents/$pi" | jq -r .status)"

step "Stripe sends signed webhooks (with duplicates, shuffled) -> listing active"
until_true 20 "listing active after payment" listing_status_is "$listing_id" "$tok_alice" active
ok "listing $listing_id is active until $(call GET "$CO/api/marketplace/listings/$listing_id" "$tok_alice" | jq -r .expiresAt)"

step "Alice buys a featured promotion (7 days, 5.00)"
promo=$(call POST "$CO/api/marketplace/listings/$listing_id/promote" "$tok_alice" '{"type":"featured"}')
promo_pi=$(jq -r .paymentIntentId <<<"$promo")
pay "$promo_pi"
featured() { [ "$(call GET "$CO/api/marketplace/listings/$listing_id" "$tok_alice" | jq -r '.featuredUntil // empty')" != "" ]; }
until_true 20 "featured promotion active" featured
ok "featured until $(call GET "$CO/api/marketplace/listings/$listing_id" "$tok_alice" | jq -r .featuredUntil)"

step "Alice asks for a refund of the promotion; an admin approves it"
refund=$(call POST "$RF/api/marketplace/refunds" "$tok_alice" "{\"paymentIntentId\":\"$promo_pi\",\"note\":\"bought by mistake\"}")
refund_id=$(jq -r .id <<<"$refund")
[ "$(jq -r .status <<<"$refund")" = "pending" ] || fail "expected pending: $refund"
[ "$(status_of POST "$RF/admin/api/marketplace/refunds/$refund_id/approve" "$tok_alice" '{}')" = "403" ] || fail "a user approved a refund"
approved=$(call POST "$RF/admin/api/marketplace/refunds/$refund_id/approve" "$tok_admin" '{"note":"goodwill"}')
refund_processed() { [ "$(call GET "$RF/admin/api/marketplace/refunds?status=processed" "$tok_admin" | jq -r --arg id "$refund_id" '[.[] | select(.id == $id)] | length')" = "1" ]; }
until_true 20 "refund processed" refund_processed
refunds_at_stripe=$(stripe_get "/v1/refunds?payment_intent=$promo_pi" | jq '.data | length')
[ "$refunds_at_stripe" = "1" ] || fail "expected exactly 1 Stripe refund, found $refunds_at_stripe"
ok "refund $refund_id approved ($(jq -r .status <<<"$approved")); Stripe has exactly 1 refund for $promo_pi"

step "Moderation rejects Bob's paid Jobs listing -> automatic refund"
read -r jobs_listing jobs_pi < <(paid_listing "$tok_bob" Jobs "Barista wanted") || true
[ -n "${jobs_pi:-}" ] || fail "Bob's Jobs listing could not be paid"
call POST "$CO/admin/api/marketplace/listings/$jobs_listing/reject" "$tok_admin" '{"reason":"prohibited content"}' >/dev/null
until_true 20 "listing rejected" listing_status_is "$jobs_listing" "$tok_bob" rejected
auto_refunded() { [ "$(stripe_get "/v1/refunds?payment_intent=$jobs_pi" | jq '.data | length')" = "1" ]; }
until_true 30 "automatic refund at Stripe" auto_refunded
ok "listing rejected; 1000 cents refunded automatically at Stripe"

step "Two chargebacks on Bob's payments -> Bob is banned"
read -r car_listing car_pi < <(paid_listing "$tok_bob" "Cars & Trucks" "Old but reliable") || true
[ -n "${car_pi:-}" ] || fail "Bob's Cars & Trucks listing could not be paid"
for p in "$jobs_pi" "$car_pi"; do
  charge=$(stripe_get "/v1/payment_intents/$p" | jq -r .latest_charge)
  curl -sS -f -X POST "$EM/_emulator/charges/$charge/dispute" -H 'Content-Type: application/json' -d '{"reason":"fraudulent"}' >/dev/null
done
banned() { [ "$(status_of POST "$CO/api/marketplace/listings" "$tok_bob" "{\"categoryId\":\"$housing\",\"title\":\"one more\"}")" = "403" ]; }
until_true 30 "bob banned after 2 chargebacks" banned
ok "Bob gets 403 on create and checkout"

step "Missed webhooks: deliveries dropped, reconciliation finds the events"
curl -sS -f -X PUT "$EM/_emulator/faults" -H 'Content-Type: application/json' -d '{"seed":1,"deliveries":{"dropRate":1.0}}' >/dev/null
carol="$(uuid)"; tok_carol="$(scripts/mint-token.sh "$carol" user)"
boat=$(call POST "$CO/api/marketplace/listings" "$tok_carol" "{\"categoryId\":\"$(category_id Boats)\",\"title\":\"Small sailboat\"}" | jq -r .id)
boat_pi=$(call POST "$CO/api/marketplace/listings/$boat/checkout" "$tok_carol" '{}' | jq -r .paymentIntentId)
pay "$boat_pi"
sleep 1
listing_status_is "$boat" "$tok_carol" pending_payment || fail "listing activated although its webhook was dropped"
curl -sS -f -X PUT "$EM/_emulator/faults" -H 'Content-Type: application/json' -d '{"seed":7}' >/dev/null
found=$(call POST "$WH/admin/api/webhooks/reconciliation/run" "$tok_admin" '{}')
until_true 20 "listing active after reconciliation" listing_status_is "$boat" "$tok_carol" active
ok "reconciliation: $(jq -c . <<<"$found"); listing $boat active"

step "The audit trail of Alice's listing, from checkout to refund"
trail=$(call GET "$AU/admin/api/audit/trail?listingId=$listing_id&size=200" "$tok_admin")
actions=$(jq -r '(.items // .entries // .) | map(.action) | unique | join(", ")' <<<"$trail")
echo "    actions: $actions"
for expected in checkout.attempted payment.succeeded listing.activated refund.processed; do
  grep -q "$expected" <<<"$actions" || fail "audit trail lacks $expected"
done
ok "complete"

step "The audit chain verifies"
verify=$(call GET "$AU/admin/api/audit/verify" "$tok_admin")
echo "    $(jq -c . <<<"$verify")"
[ "$(jq -r .intact <<<"$verify")" = "true" ] || fail "audit chain broken"
ok "no broken link"

printf '\n\033[1mDemo flow: %d steps passed\033[0m\n' "$n"
