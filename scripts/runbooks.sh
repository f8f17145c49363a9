#!/usr/bin/env bash
# Runs the runbooks: extracts every ```bash block of docs/runbooks/<name>.md, in order, and executes
# them (after README.md's common setup) against a running local suite, one shell per runbook, so a
# step that cannot run as written fails the run. Blocks fenced ```bash k8s are Kubernetes-only
# diagnostics (describe a pod, cluster events): they are syntax-checked, not run.
#   scripts/runbooks.sh [--start] [name ...]     default: every runbook listed in $order below
#   --start  start a suite first (scripts/suite-start.sh, with SUITE_* as there) and stop it after
# For each runbook, scripts/runbooks/<name>.given.sh (if present) first creates the situation the
# runbook is for and prints the runbook's inputs (export LISTING_ID=...); <name>.then.sh afterwards
# checks the effect over HTTP and in Postgres. Kubernetes steps (kubectl) run against the local
# processes through scripts/lib/local-bin/kubectl.
# Env: SUITE_PORT_BASE (8080), EMULATOR_PORT (12111), SUITE_DB (payments; with --start
#      payments_runbooks, made afresh so no other branch's migrations can fail the start), SUITE_RUN_DIR (.run).
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.mvn/java-home.sh" # JDK 21+
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export SUITE_PORT_BASE="${SUITE_PORT_BASE:-8080}" EMULATOR_PORT="${EMULATOR_PORT:-12111}"
case " $* " in *" --start "*) default_db=payments_runbooks ;; *) default_db=payments ;; esac
export SUITE_DB="${SUITE_DB:-$default_db}" SUITE_RUN_DIR="${SUITE_RUN_DIR:-$root/.run}"
export EMULATOR_URL="http://127.0.0.1:$EMULATOR_PORT"
order="daily-checks webhook-failures stuck-payments reconciliation backfill refund-failures disputed-bans expiry \
webhook-secret-rotation key-rotation rolling-restart rollback disaster-recovery"

start=false
names=()
for a in "$@"; do case "$a" in --start) start=true ;; *) names+=("${a%.md}") ;; esac; done
[ ${#names[@]} -gt 0 ] || read -r -a names <<<"$order"

if $start; then
  # The scheduled reconciliation (30 s after webhook-service starts, then every 10 min) applies the
  # events the fixtures of stuck-payments, reconciliation, backfill and disaster-recovery make Stripe
  # drop; when it ran between a fixture's payment and its check, that runbook failed (CI, backfill).
  # The runbooks run reconciliation by hand, as an operator does; this suite's job is off.
  export SUITE_ENV_WEBHOOK="WEBHOOK_RECONCILIATION_ENABLED=false ${SUITE_ENV_WEBHOOK:-}"
  scripts/ensure-postgres.sh
  if [ "$SUITE_DB" = payments_runbooks ]; then
    psql -X -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $SUITE_DB WITH (FORCE)" >/dev/null
  fi
  PAYMENTS_DATABASES="$SUITE_DB" scripts/db-setup.sh >/dev/null
  scripts/build-if-needed.sh
  trap 'scripts/suite-start.sh stop || true' EXIT
  rm -rf "$SUITE_RUN_DIR/secrets" # the local kubectl's Secrets belong to the suite it started
  scripts/suite-start.sh start
fi
export PATH="$root/scripts/lib/local-bin:$PATH"
. scripts/lib/ops.sh

# blocks FILE TAG: the bodies of the fences whose info string is exactly TAG
blocks() { awk -v tag="$2" '/^[[:space:]]*```/ { line=$0; sub(/^[[:space:]]*```/, "", line); if (inside) { inside=0; next } if (line == tag) { inside=1; next } skip = !skip; next } inside { sub(/^   /, ""); print }' "$1"; }

work="$(mktemp -d)"
trap 'rm -rf "$work"; $start && scripts/suite-start.sh stop || true' EXIT
failed=()
for name in "${names[@]}"; do
  doc="docs/runbooks/$name.md"
  [ -f "$doc" ] || { echo "FAIL $name: $doc does not exist"; failed+=("$name"); continue; }
  printf '\n\033[1m== runbook %s\033[0m\n' "$name"
  script="$work/$name.sh"
  {
    echo 'set -euo pipefail'
    echo "cd '$root'"
    blocks docs/runbooks/README.md bash
    [ -f "scripts/runbooks/$name.given.sh" ] && echo ". scripts/runbooks/$name.given.sh"
    echo 'set -x'
    blocks "$doc" bash
    echo 'set +x'
    [ -f "scripts/runbooks/$name.then.sh" ] && echo ". scripts/runbooks/$name.then.sh"
  } >"$script"
  blocks "$doc" "bash k8s" >"$work/$name.k8s.sh"
  if ! bash -n "$work/$name.k8s.sh"; then echo "FAIL $name: a k8s block is not valid bash"; failed+=("$name"); continue; fi
  if [ "$(blocks "$doc" bash | grep -c .)" -eq 0 ]; then echo "FAIL $name: no runnable steps"; failed+=("$name"); continue; fi
  # Tokens never reach the log (the trace would print the Authorization headers).
  set +e
  bash "$script" 2>&1 | sed -E 's/(Bearer |ADMIN_TOKEN=)[A-Za-z0-9._-]+/\1***/g' >"$work/$name.log"
  code=${PIPESTATUS[0]}
  set -e
  if [ "$code" -eq 0 ]; then
    sed 's/^/    /' "$work/$name.log" | tail -n 25
    echo "ok   $name"
  else
    sed 's/^/    /' "$work/$name.log" | tail -n 60
    echo "FAIL $name (the last step shown above did not run as written)"
    failed+=("$name")
  fi
done
echo
if [ ${#failed[@]} -gt 0 ]; then echo "runbooks failed: ${failed[*]}"; exit 1; fi
echo "runbooks: all ${#names[@]} ran"
