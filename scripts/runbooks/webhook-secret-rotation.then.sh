# Effect: only the new endpoint and secret are left, and a new payment is still applied (signed with the new secret).
[ "$(stripe_get /v1/webhook_endpoints | jq -r --arg u "$WEBHOOK_PUBLIC_URL" '[.data[] | select(.url == $u)] | length')" = 1 ] \
  || fixture_fail "expected exactly the new endpoint at Stripe"
sr_tok="$(scripts/mint-token.sh "$(uuid)" user)"
read -r sr_listing sr_pi < <(paid_listing "$sr_tok" Housing)
echo "then: one endpoint left; listing $sr_listing paid and applied after the rotation"
