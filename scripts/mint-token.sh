#!/usr/bin/env bash
# Prints a JWT for local use, signed with the throwaway key in .run/keys.
# Usage: scripts/mint-token.sh <user-id> <group: user|super_admin|service> [ttl-seconds]
# Example: curl -H "Authorization: Bearer $(scripts/mint-token.sh $(uuidgen) user)" ...
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
sub="${1:?usage: mint-token.sh <user-id> <group> [ttl-seconds]}"
group="${2:?usage: mint-token.sh <user-id> <group> [ttl-seconds]}"
ttl="${3:-3600}"
issuer="${MP_JWT_VERIFY_ISSUER:-https://auth.payments.local}"
key="$("$root/scripts/keys.sh")/private.pem"
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
payload=$(printf '{"iss":"%s","sub":"%s","upn":"%s","groups":["%s"],"iat":%d,"exp":%d,"jti":"%s"}' \
  "$issuer" "$sub" "$sub" "$group" "$now" "$((now + ttl))" "$(cat /proc/sys/kernel/random/uuid)" | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | b64url)
printf '%s.%s.%s\n' "$header" "$payload" "$signature"
