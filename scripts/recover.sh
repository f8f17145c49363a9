#!/usr/bin/env bash
# Disaster recovery (003 "Stripe data as source of truth"): rebuilds from Stripe what a restored
# database lacks. webhook-service lists Stripe's succeeded PaymentIntents (with checkout's metadata)
# and refunds since --since, asks checkout-service and refund-service what they have, and prints
# what it would re-create: payments (and a posting fee's lost listing), their listing activations
# and promotions (checkout applies each payment as a webhook would), and refund records. --apply
# does it through the owning services' internal endpoints (audited); a second --apply changes nothing.
#
# Usage: scripts/recover.sh [--apply] [--since 2026-01-01T00:00:00Z]     (default since: 30 days back)
# Env:   WEBHOOK_URL  webhook-service base URL (default: the local suite, see scripts/lib/ops.sh)
#        ADMIN_TOKEN  a super_admin JWT (a deployment: yours); unset: a local one is minted
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/ops.sh"

apply=false
since=""
while [ $# -gt 0 ]; do
  case "$1" in
    --apply) apply=true ;;
    --since) since="${2:?--since needs an ISO-8601 date-time}"; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

url="$WEBHOOK_URL/admin/api/webhooks/recovery"
[ -n "$since" ] && url="$url?since=$(printf '%s' "$since" | sed 's/+/%2B/g')"
method=GET
$apply && method=POST
body="$(ops_call "$method" "$url")" || { echo "recovery failed" >&2; exit 1; }

if ! command -v jq >/dev/null 2>&1; then
  printf '%s\n' "$body"
  exit 0
fi
if $apply; then
  echo "APPLIED"
else
  echo "DRY RUN (nothing changed; run again with --apply)"
fi
jq -r '"since \(.since): \(.scanned) succeeded PaymentIntents, \(.alreadyApplied) already applied, \(.repairs | length) to restore"' <<<"$body"
jq -r '.repairs[] | "  payment \(.paymentIntentId)  listing=\(.listingId)  payment=\(.paymentId)  \(.paymentType)  \(.amount) \(.currency)  checkout=\(.checkoutStatus)  -> \(.action)"' <<<"$body"
jq -r '"\(.refundsScanned // 0) succeeded refunds of the suite'"'"'s payments, \(.refundRepairs // [] | length) without a record in refund-service"' <<<"$body"
jq -r '(.refundRepairs // [])[] | "  refund \(.refundId)  \(.paymentIntentId)  \(.amount) \(.currency)  request=\(.requestId // "none (Dashboard)")  reason=\(.reason // "-")  -> \(.action)"' <<<"$body"
jq -r '"to restore: \((.repairs | length) + (.refundRepairs // [] | length))"' <<<"$body"
