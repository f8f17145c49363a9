#!/usr/bin/env bash
# Disaster recovery (operations guide): rebuild listings' payment state from Stripe.
# Lists succeeded PaymentIntents made by checkout (with their metadata), asks checkout-service which
# of them it has not applied, and prints what would change. With --apply, webhook-service sends a
# payment_intent.succeeded event for each of them to checkout through its outbox (idempotent: a
# second apply stores nothing twice).
#
# Usage: scripts/recover.sh [--apply] [--since 2026-01-01T00:00:00Z]
# Env:   WEBHOOK_URL  webhook-service base URL (default http://127.0.0.1:8082)
#        ADMIN_TOKEN  a super_admin JWT; locally minted with scripts/mint-token.sh when unset
set -euo pipefail

apply=false
since=""
while [ $# -gt 0 ]; do
  case "$1" in
    --apply) apply=true ;;
    --since) since="${2:?--since needs an ISO-8601 date-time}"; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

url="${WEBHOOK_URL:-http://127.0.0.1:8082}/admin/api/webhooks/recovery"
if [ -n "$since" ]; then
  url="$url?since=$(printf '%s' "$since" | sed 's/+/%2B/g')"
fi
token="${ADMIN_TOKEN:-}"
if [ -z "$token" ]; then
  root="$(cd "$(dirname "$0")/../.." && pwd)"
  token="$("$root/scripts/mint-token.sh" recovery-operator super_admin 600)"
fi

method=GET
$apply && method=POST
body="$(mktemp)"
trap 'rm -f "$body"' EXIT
status="$(curl -sS -o "$body" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $token" "$url")"
if [ "$status" != "200" ]; then
  echo "recovery failed: HTTP $status" >&2
  cat "$body" >&2
  echo >&2
  exit 1
fi

if ! command -v jq >/dev/null 2>&1; then
  cat "$body"
  echo
  exit 0
fi
if $apply; then
  echo "APPLIED"
else
  echo "DRY RUN (nothing changed; run again with --apply)"
fi
jq -r '"since \(.since): \(.scanned) succeeded PaymentIntents, \(.alreadyApplied) already applied, \(.repairs | length) to repair, \(.enqueued) events enqueued"' "$body"
jq -r '.repairs[] | "  \(.paymentIntentId)  listing=\(.listingId)  payment=\(.paymentId)  \(.paymentType)  \(.amount) \(.currency)  checkout=\(.checkoutStatus)  -> \(.action)"' "$body"
