#!/usr/bin/env bash
# Runs every module's tests against the local Postgres and the in-process stripe-emulator.
# Extra arguments go to Maven, e.g. ./test.sh -pl checkout-service -am
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/." && pwd)/.mvn/java-home.sh" # JDK 21+
cd "$(dirname "$0")"
scripts/ensure-postgres.sh
scripts/db-setup.sh
exec ./mvnw -B verify "$@"
