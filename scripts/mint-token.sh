#!/usr/bin/env bash
# Prints a JWT for local use (keys from scripts/keys.sh).
#   scripts/mint-token.sh <user-id> user|super_admin [ttl-seconds]
#       a person, signed by the local user identity provider (issuer https://auth.payments.local,
#       audience payments-api)
#   scripts/mint-token.sh --service <name> --audience <name> [--ttl seconds]
#       exactly one service calling exactly one other, signed with that service's own key
#       (issuer https://services.payments.local, sub <name>, aud <audience>; 300 s by default, at most 3600)
# Example: curl -H "Authorization: Bearer $(scripts/mint-token.sh $(uuidgen) user)" ...
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
usage() {
  echo "usage: mint-token.sh <user-id> user|super_admin [ttl-seconds]" >&2
  echo "       mint-token.sh --service <name> --audience <name> [--ttl seconds]" >&2
  exit 2
}
services="checkout-service webhook-service refund-service audit-service"
is_service() { case " $services " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
keys="$("$root/scripts/keys.sh")"
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
jti="$(cat /proc/sys/kernel/random/uuid)"

if [ "${1:-}" = "--service" ]; then
  service="" audience="" ttl=300
  while [ $# -gt 0 ]; do
    case "$1" in
      --service) service="${2:-}"; shift 2 ;;
      --audience) audience="${2:-}"; shift 2 ;;
      --ttl) ttl="${2:-}"; shift 2 ;;
      *) usage ;;
    esac
  done
  is_service "$service" || { echo "unknown service '$service' (one of: $services)" >&2; exit 2; }
  is_service "$audience" || { echo "unknown audience '$audience' (one of: $services)" >&2; exit 2; }
  [[ "$ttl" =~ ^[0-9]+$ ]] && [ "$ttl" -ge 1 ] && [ "$ttl" -le 3600 ] || { echo "--ttl must be 1..3600 seconds" >&2; exit 2; }
  issuer="${PAYMENTS_SERVICE_IDENTITY_ISSUER:-https://services.payments.local}"
  key="$keys/services/$service/private.pem"
  header=$(printf '{"alg":"RS256","typ":"JWT","kid":"%s"}' "$service" | b64url)
  payload=$(printf '{"iss":"%s","sub":"%s","aud":"%s","iat":%d,"exp":%d,"jti":"%s"}' \
    "$issuer" "$service" "$audience" "$now" "$((now + ttl))" "$jti" | b64url)
else
  sub="${1:-}" group="${2:-}" ttl="${3:-3600}"
  [ -n "$sub" ] || usage
  case "$group" in
    user|super_admin) ;;
    service) echo "the user identity provider mints no service identity: use --service <name> --audience <name>" >&2; exit 2 ;;
    *) usage ;;
  esac
  [[ "$ttl" =~ ^[0-9]+$ ]] || usage
  issuer="${MP_JWT_VERIFY_ISSUER:-https://auth.payments.local}"
  audience="${MP_JWT_VERIFY_AUDIENCES:-payments-api}"
  key="$keys/user-idp/private.pem"
  header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"iss":"%s","sub":"%s","upn":"%s","aud":"%s","groups":["%s"],"iat":%d,"exp":%d,"jti":"%s"}' \
    "$issuer" "$sub" "$sub" "$audience" "$group" "$now" "$((now + ttl))" "$jti" | b64url)
fi
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
