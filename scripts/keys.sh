#!/usr/bin/env bash
# Makes the throwaway local JWT key pair in .run/keys (never committed; .run/ is git-ignored).
# Local runs verify user tokens and sign service tokens with it; production uses real keys.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.run/keys"
mkdir -p "$dir"
if [ ! -s "$dir/private.pem" ] || [ ! -s "$dir/public.pem" ]; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/private.pem" 2>/dev/null
  openssl pkey -in "$dir/private.pem" -pubout -out "$dir/public.pem"
  chmod 600 "$dir/private.pem"
fi
echo "$dir"
