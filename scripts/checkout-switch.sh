#!/usr/bin/env bash
# The checkout kill switch (rollback step 1, "stop accepting new payments").
#   scripts/checkout-switch.sh off --reason "why"   new checkouts and promotions answer 503 (problem checkout-paused)
#   scripts/checkout-switch.sh on  --reason "why"   accept them again
#   scripts/checkout-switch.sh status               prints "checkout: accepting|paused" and the details
# Webhooks, refunds and reconciliation are never paused. Every change is audited (checkout.paused /
# checkout.resumed) with your identity. CHECKOUT_ACCEPTING_PAYMENTS=false in the deployment is the
# second, configuration-level switch (status shows both).
# Env: CHECKOUT_URL, ADMIN_TOKEN (see scripts/lib/ops.sh).
set -euo pipefail
. "$(dirname "$0")/lib/ops.sh"
cmd="${1:-}"; shift || true
reason=""
while [ $# -gt 0 ]; do
  case "$1" in
    --reason) reason="${2:?--reason needs a text}"; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
url="$CHECKOUT_URL/admin/api/marketplace/checkout-switch"
show() { jq -r '"checkout: \(if .accepting then "accepting" else "paused" end) (admin switch: \(if .switchAccepting then "on" else "off" end), config flag: \(if .configAccepting then "on" else "off" end); last change by \(.changedBy // "-") at \(.changedAt // "-"): \(.reason // "-"))"'; }
case "$cmd" in
  status) ops_call GET "$url" | show ;;
  off|on)
    [ -n "$reason" ] || reason="scripts/checkout-switch.sh $cmd"
    accepting=false; [ "$cmd" = on ] && accepting=true
    ops_call PUT "$url" "$(jq -nc --argjson a "$accepting" --arg r "$reason" '{accepting: $a, reason: $r}')" | show ;;
  *) sed -n '2,9p' "$0" >&2; exit 2 ;;
esac
