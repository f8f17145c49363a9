#!/usr/bin/env bash
# Packages the suite (./mvnw package -DskipTests) unless every jar is newer than its sources.
set -euo pipefail
cd "$(dirname "$0")/.."
needs_build() {
  local jar name
  [ -f stripe-emulator/target/stripe-emulator.jar ] || return 0
  for name in checkout webhook refund audit; do
    jar="$name-service/target/quarkus-app/quarkus-run.jar"
    [ -f "$jar" ] || return 0
    [ -z "$(find "$name-service/src" payments-common/src stripe-emulator/src pom.xml -newer "$jar" -type f 2>/dev/null | head -n 1)" ] || return 0
  done
  return 1
}
if needs_build; then
  echo "Building the suite (./mvnw package -DskipTests)..."
  ./mvnw -B -q package -DskipTests
else
  echo "Jars are up to date."
fi
