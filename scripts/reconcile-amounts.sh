#!/usr/bin/env bash
# Amount-level reconciliation: Stripe's captured, refunded and disputed amounts against the suite's
# (checkout payments, refund ledger, chargebacks), per UTC day and in total, and every difference
# with its PaymentIntent and charge ids. Runs webhook-service's check (audited); the daily job does
# the same for the last 7 days and exports homepage_reconciliation_amount_differences.
#   scripts/reconcile-amounts.sh [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--csv]
#   default period: the 7 days up to today; --csv prints the CSV export instead of the table
#   (and the final line on stderr, so that `> file.csv` keeps a clean CSV).
# Prints "differences: N" last; exits 1 when N > 0, 2 on a usage error, 3 when the check failed.
# Env: WEBHOOK_URL, ADMIN_TOKEN (see scripts/lib/ops.sh).
set -euo pipefail
. "$(dirname "$0")/lib/ops.sh"
from=""; to=""; csv=false
while [ $# -gt 0 ]; do
  case "$1" in
    --from) from="${2:?--from needs a date}"; shift ;;
    --to) to="${2:?--to needs a date}"; shift ;;
    --csv) csv=true ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
url="$WEBHOOK_URL/admin/api/webhooks/reconciliation/amounts?format=json${from:+&from=$from}${to:+&to=$to}"
report="$(ops_call GET "$url")" || exit 3
if $csv; then
  ops_call GET "${url/format=json/format=csv}" || exit 3
else
  jq -r '"period \(.from) .. \(.to): \(.payments) payments",
    "day         cur  captured stripe/suite    refunded stripe/suite    disputed stripe/suite",
    (.days[] | "\(.day)  \(.currency)  \(.stripe.captured)/\(.suite.captured)  \(.stripe.refunded)/\(.suite.refunded)  \(.stripe.disputed)/\(.suite.disputed)\(if .matches then "" else "  <- differs" end)"),
    (.totals[] | "total       \(.currency)  \(.stripe.captured)/\(.suite.captured)  \(.stripe.refunded)/\(.suite.refunded)  \(.stripe.disputed)/\(.suite.disputed)"),
    (.differences[] | "DIFF \(.day) \(.kind) \(.paymentIntentId) charge=\(.chargeId // "-") \(.currency) stripe=\(.stripe) suite=\(.suite) \(.note)")' <<<"$report"
fi
n="$(jq -r .differenceCount <<<"$report")"
if $csv; then echo "differences: $n" >&2; else echo "differences: $n"; fi
[ "$n" -eq 0 ]
