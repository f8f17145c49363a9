#!/usr/bin/env bash
# The payment doctor and manual sync: the whole story of the payments of a PaymentIntent, a listing
# or a user, side by side (Stripe's current object, the events received and their dispatch status,
# checkout's row, the refund ledger, the audit trail), and what is wrong.
#   scripts/doctor.sh <pi_...|listing-id|user-id>            look (changes nothing; audited)
#   scripts/doctor.sh <pi_...|listing-id|user-id> --apply    also repair through the normal paths:
#       store the missing event and dispatch it (as recovery does), redeliver a dead or stalled
#       dispatch, redeliver a stored refund/dispute event the ledger lacks. Idempotent.
# Exits 1 when problems remain (after --apply: problems it could not repair), 2 on a usage error,
# 3 when the doctor could not run. Env: WEBHOOK_URL, AUDIT_URL, ADMIN_TOKEN (scripts/lib/ops.sh).
set -euo pipefail
. "$(dirname "$0")/lib/ops.sh"
subject="${1:-}"; shift || true
apply=false
for a in "$@"; do case "$a" in --apply) apply=true ;; *) echo "unknown argument: $a" >&2; exit 2 ;; esac; done
[ -n "$subject" ] || { sed -n '2,10p' "$0" >&2; exit 2; }
method=GET; $apply && method=POST
report="$(ops_call "$method" "$WEBHOOK_URL/admin/api/webhooks/doctor/$subject")" || exit 3
jq -r '"subject \(.subject): \(.payments | length) payment(s)\(if .applied then ", repairs applied" else "" end)",
  (.payments[] |
    "\n== \(.paymentIntentId)",
    "  stripe    \(.stripe.status) \(.stripe.amount // "-") \(.stripe.currency // "")  charge=\(.stripe.charge.id // "-") refunded=\(.stripe.charge.amount_refunded // 0) disputed=\(.stripe.charge.disputed // false)",
    "  checkout  \(if .checkout then "\(.checkout.status) \(.checkout.purpose) listing=\(.checkout.listingId) (\(.checkout.listingStatus))" else "no payment" end)",
    "  refunds   refunded=\(.refundLedger.refunded) disputed=\(.refundLedger.disputed)",
    (if (.events | length) == 0 then "  events    none stored" else (.events[] | "  event     \(.id) \(.type) \(.status) attempts=\(.attempts)\(if .lastError then " last_error=\(.lastError)" else "" end)") end),
    (if (.findings | length) == 0 then "  OK        nothing wrong" else (.findings[] | "  PROBLEM   \(.problem): \(.detail)\(if .repair then "\n            repair: \(.repair)" else "" end)\(if .outcome then "\n            -> \(.outcome)" else "" end)") end))' <<<"$report"
# The audit trail of each listing involved, from audit-service (the read is audited there).
for listing in $(jq -r '[.payments[].checkout.listingId // empty] | unique | .[]' <<<"$report"); do
  echo
  echo "== audit trail of listing $listing"
  ops_call GET "$AUDIT_URL/admin/api/audit/trail?listingId=$listing&size=200" \
    | jq -r '(.entries // .)[] | "  \(.occurredAt) \(.service) \(.action) \(.outcome) \(.actorType):\(.actorId)"' || echo "  (audit trail not available)"
done
problems="$(jq -r '.problems' <<<"$report")"
repaired="$(jq -r '.repaired' <<<"$report")"
left=$((problems - repaired))
echo
echo "problems: $problems, repaired: $repaired"
[ "$left" -eq 0 ]
