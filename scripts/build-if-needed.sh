#!/usr/bin/env bash
# Packages the suite (./mvnw package -DskipTests) unless every jar is newer than its sources.
# BUILD_GOAL=install (scripts/dev.sh) also installs the modules, which `./mvnw quarkus:dev -pl X` needs.
set -euo pipefail
cd "$(dirname "$0")/.."
goal="${BUILD_GOAL:-package}"
needs_build() {
  local jar name
  if [ "$goal" = install ]; then
    local installed lib
    for lib in payments-common payments-common-stripe; do
      installed="$HOME/.m2/repository/org/villagehomepage/payments/$lib/1.0.0-SNAPSHOT/$lib-1.0.0-SNAPSHOT.jar"
      [ -f "$installed" ] && [ -z "$(find "$lib/src" "$lib/pom.xml" -newer "$installed" -type f | head -n 1)" ] || return 0
    done
  fi
  [ -f stripe-emulator/target/stripe-emulator.jar ] || return 0
  for name in checkout webhook refund audit; do
    jar="$name-service/target/quarkus-app/quarkus-run.jar"
    [ -f "$jar" ] || return 0
    [ -z "$(find "$name-service/src" payments-common*/src payments-common*/pom.xml stripe-emulator/src pom.xml -newer "$jar" -type f 2>/dev/null | head -n 1)" ] || return 0
  done
  jar=ops-console/target/quarkus-app/quarkus-run.jar
  [ -f "$jar" ] || return 0
  [ -z "$(find ops-console/src pom.xml -newer "$jar" -type f 2>/dev/null | head -n 1)" ] || return 0
  return 1
}
if needs_build; then
  echo "Building the suite (./mvnw $goal -DskipTests)..."
  ./mvnw -B -q "$goal" -DskipTests
else
  echo "Jars are up to date."
fi
