#!/usr/bin/env bash
# The dev loop: starts everything around the one service you develop in Quarkus dev mode.
#   scripts/dev.sh <checkout|webhook|refund|audit>   Postgres, databases, keys, then the emulator
#                                                     (:12111) and the other three services (packaged
#                                                     jars, ports 8081-8084) in the background
#   ./mvnw quarkus:dev -pl <service>-service          then, from the root: live reload, Dev UI at
#                                                     http://localhost:<port>/q/dev-ui, Swagger UI at /q/swagger-ui
#   scripts/dev.sh stop                               stops what scripts/dev.sh started
# Dev mode uses the %dev profile: database payments, the emulator, .run/keys (see payments-common's
# META-INF/microprofile-config.properties). Logs of the others: .run/dev/logs/.
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.mvn/java-home.sh" # JDK 21+
cd "$(dirname "$0")/.."
export SUITE_PORT_BASE=8080 EMULATOR_PORT=12111 SUITE_DB="${SUITE_DB:-payments}" SUITE_RUN_DIR="$(pwd)/.run/dev"
case "${1:-}" in
  checkout | webhook | refund | audit) service="$1" ;;
  stop) exec scripts/suite-start.sh stop ;;
  *) echo "usage: $0 <checkout|webhook|refund|audit> | stop" >&2; exit 2 ;;
esac
scripts/ensure-postgres.sh
PAYMENTS_DATABASES="$SUITE_DB" scripts/db-setup.sh
BUILD_GOAL=install scripts/build-if-needed.sh
SUITE_SKIP="$service" scripts/suite-start.sh start
cat <<MSG

The suite runs around $service-service (logs: $SUITE_RUN_DIR/logs). Now, from $(pwd):
  ./mvnw quarkus:dev -pl $service-service
Tokens: scripts/mint-token.sh <user-id> user|super_admin. Stop the others: scripts/dev.sh stop
MSG
