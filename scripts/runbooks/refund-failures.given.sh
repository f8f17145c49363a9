# A refund approved while Stripe's refund API fails: refund-service gives up (failed); then Stripe recovers.
. scripts/runbooks/lib.sh
rb_user="$(uuid)"; rb_tok="$(scripts/mint-token.sh "$rb_user" user)"
read -r rb_listing rb_pi < <(paid_listing "$rb_tok" Housing)
faults '{"seed":3,"endpoints":{"POST /v1/refunds":{"errorRate":1.0}}}'
rb_refund=$(as POST "$REFUND_URL/api/marketplace/refunds" "$rb_tok" "{\"paymentIntentId\":\"$rb_pi\",\"note\":\"runbook\"}" | jq -r .id)
as POST "$REFUND_URL/admin/api/marketplace/refunds/$rb_refund/approve" "$ADMIN_TOKEN" '{"note":"runbook"}' >/dev/null || true
refund_failed() { [ "$(sql "SELECT status FROM refund.refund_request WHERE id = '$rb_refund'")" = failed ]; }
eventually 90 "refund $rb_refund failed while Stripe fails" refund_failed
faults '{"seed":7}'
# The wrong step of the old runbook: /approve does not retry a failed refund.
[ "$(status_of POST "$REFUND_URL/admin/api/marketplace/refunds/$rb_refund/approve" "$ADMIN_TOKEN" '{}')" = 409 ] \
  || fixture_fail "/approve on a failed refund did not answer 409"
