# A refund Stripe made and then failed asynchronously (as a closed or expired card does days later):
# refund-service marks the request failed. (Stripe or network errors no longer fail a request: an
# unknown outcome stays approved and the recovery job drives it again with the same key.)
. scripts/runbooks/lib.sh
rb_user="$(uuid)"; rb_tok="$(scripts/mint-token.sh "$rb_user" user)"
read -r rb_listing rb_pi < <(paid_listing "$rb_tok" Housing)
rb_refund=$(as POST "$REFUND_URL/api/marketplace/refunds" "$rb_tok" "{\"paymentIntentId\":\"$rb_pi\",\"note\":\"runbook\"}" | jq -r .id)
as POST "$REFUND_URL/admin/api/marketplace/refunds/$rb_refund/approve" "$ADMIN_TOKEN" '{"note":"runbook"}' >/dev/null || true
refund_status() { sql "SELECT status FROM refund.refund_request WHERE id = '$rb_refund'"; }
refund_processed() { [ "$(refund_status)" = processed ]; }
eventually 90 "refund $rb_refund processed at Stripe" refund_processed
rb_re="$(sql "SELECT stripe_refund_id FROM refund.refund_request WHERE id = '$rb_refund'")"
curl -sS -f -X POST "$EM/_emulator/refunds/$rb_re/fail" >/dev/null || fixture_fail "the emulator could not fail refund $rb_re"
refund_failed() { [ "$(refund_status)" = failed ]; }
eventually 90 "refund $rb_refund failed after Stripe failed $rb_re" refund_failed
# The wrong step of the old runbook: /approve does not retry a failed refund.
[ "$(status_of POST "$REFUND_URL/admin/api/marketplace/refunds/$rb_refund/approve" "$ADMIN_TOKEN" '{}')" = 409 ] \
  || fixture_fail "/approve on a failed refund did not answer 409"
