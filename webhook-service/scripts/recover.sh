#!/usr/bin/env bash
# Alias of scripts/recover.sh (disaster recovery from Stripe), kept for the runbooks and habits
# that call it from here.
exec "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/recover.sh" "$@"
