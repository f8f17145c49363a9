#!/usr/bin/env bash
# Makes the throwaway local keys in .run/keys (never committed; .run/ is git-ignored) and prints the
# directory. Two trust domains, never mixed (docs/architecture.md, "Trust model"):
#   user-idp/private.pem, public.pem       the local user identity provider: signs user and
#                                          super_admin tokens (scripts/mint-token.sh); every service
#                                          gets only the public half
#   services/<service>/private.pem         one key per service: only that service gets it, to sign
#                                          its own calls to the others
#   services/public/<service>.pem          the services' public keys: receivers verify senders with them
# In Kubernetes none of this exists: projected ServiceAccount tokens replace the service keys.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.run/keys"
services="checkout-service webhook-service refund-service audit-service"
umask 077
pair() { # private-path public-path
  if [ ! -s "$1" ] || [ ! -s "$2" ]; then
    mkdir -p "$(dirname "$1")" "$(dirname "$2")"
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null
    openssl pkey -in "$1" -pubout -out "$2"
    chmod 600 "$1"
    chmod 644 "$2"
  fi
}
pair "$dir/user-idp/private.pem" "$dir/user-idp/public.pem"
for s in $services; do
  pair "$dir/services/$s/private.pem" "$dir/services/public/$s.pem"
done
echo "$dir"
