# Sourced by the ops scripts (checkout-switch.sh, reconcile-amounts.sh, runbooks.sh...).
# Where the suite is and who we are:
#   CHECKOUT_URL WEBHOOK_URL REFUND_URL AUDIT_URL  service base URLs; default: the local suite
#     (./run.sh: 127.0.0.1:8081..8084, or SUITE_PORT_BASE+1..+4 for a suite on other ports).
#     Against a deployment: the port-forwarded or internal URLs (admin paths are never on the Ingress).
#   ADMIN_TOKEN  a super_admin JWT (in production: your own, from the identity provider);
#     unset: a local one is minted with scripts/mint-token.sh (works only against a local suite).
ops_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ops_base="${SUITE_PORT_BASE:-8080}"
CHECKOUT_URL="${CHECKOUT_URL:-http://127.0.0.1:$((ops_base + 1))}"
WEBHOOK_URL="${WEBHOOK_URL:-http://127.0.0.1:$((ops_base + 2))}"
REFUND_URL="${REFUND_URL:-http://127.0.0.1:$((ops_base + 3))}"
AUDIT_URL="${AUDIT_URL:-http://127.0.0.1:$((ops_base + 4))}"
export CHECKOUT_URL WEBHOOK_URL REFUND_URL AUDIT_URL

ops_token() {
  if [ -z "${ADMIN_TOKEN:-}" ]; then
    ADMIN_TOKEN="$("$ops_root/scripts/mint-token.sh" "${OPS_OPERATOR:-00000000-0000-0000-0000-000000000001}" super_admin 900)"
  fi
  printf '%s' "$ADMIN_TOKEN"
}

# ops_call METHOD URL [JSON]: prints the body; on a non-2xx answer prints the problem to stderr and fails.
ops_call() {
  local method="$1" url="$2" body="${3:-}" out status
  out="$(mktemp)"
  local args=(-sS -o "$out" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $(ops_token)")
  [ -n "$body" ] && args+=(-H 'Content-Type: application/json' -d "$body")
  status="$(curl "${args[@]}" "$url")" || { rm -f "$out"; echo "cannot reach $url" >&2; return 1; }
  if [ "${status:0:1}" != "2" ]; then
    echo "$method $url -> HTTP $status $(head -c 600 "$out")" >&2
    rm -f "$out"
    return 1
  fi
  cat "$out"
  rm -f "$out"
}
