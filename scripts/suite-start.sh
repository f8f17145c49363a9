#!/usr/bin/env bash
# Starts the stripe-emulator and the four services in the background exactly as ./run.sh does
# (prod profile, same environment and JVM flags), but on other ports and another database, without
# the demo and without waiting for Ctrl-C. Used by scripts/bench.sh; run.sh is left as it is.
#
#   scripts/suite-start.sh start            emulator + four services + ops-console, wait until all are ready
#   scripts/suite-start.sh migrate [name...]  bring the services' schemas (default: all four) to their
#                                           latest migration, as the init container `migrate` does in
#                                           Kubernetes; start and start-one do it first
#   scripts/suite-start.sh start-one <name> one service alone (checkout|webhook|refund|audit|console); prints
#                                           "<name> <ms to /q/health/ready> <'started in' seconds>"
#   scripts/suite-start.sh start-one <name> <instance> <port>
#                                           another instance of it (a replica, or the new pod of a
#                                           rolling restart) on its own port, pid and log name
#   scripts/suite-start.sh stop [name|instance]  stop what this script started (by the pids it
#                                           recorded; SIGTERM, then waits); no name: every one
#   scripts/suite-start.sh pids             "name pid" lines of the running processes
#
# The operator console (ops-console) runs beside them on SUITE_PORT_BASE+5 with the local dev login
# (CONSOLE_DEV_LOGIN=true, loopback only); SUITE_SKIP="console" leaves it out.
# Env: SUITE_PORT_BASE (18080: services on +1..+4, console +5), EMULATOR_PORT (22111), SUITE_DB (payments_bench),
#      SUITE_RUN_DIR (.run/bench), SUITE_JAVA_OPTS (run.sh's default), EMULATOR_FAULTS (none),
#      EMULATOR_XMX (128m as in run.sh; enough: the emulator keeps its objects within half its heap),
#      SUITE_SKIP ("checkout" ...: services not to start, e.g. the one running in quarkus:dev),
#      SUITE_MIGRATE (on: start-one migrates the service's schema first; off: it does not),
#      SUITE_ENV_<NAME> extra "VAR=value VAR2=value" for one service (e.g. SUITE_ENV_WEBHOOK); they
#      override the defaults above (scripts/lib/local-bin/kubectl uses it for rotated secrets),
#      SUITE_PG_PORT (5432: Postgres on 127.0.0.1), SUITE_INSTANCE_OFFSET (0: each service listens on
#      its port + this, while callers keep the service ports: scripts/drills.sh puts its splitters there).
set -euo pipefail
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.mvn/java-home.sh" # JDK 21+
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
base="${SUITE_PORT_BASE:-18080}"
emulator_port="${EMULATOR_PORT:-22111}"
db="${SUITE_DB:-payments_bench}"
run_dir="${SUITE_RUN_DIR:-$root/.run/bench}"
logs="$run_dir/logs"
piddir="$run_dir/pids"
mkdir -p "$logs" "$piddir"
webhook_secret="whsec_local_emulator_secret"
# The event types the suite handles (docs/contracts.md; EventRoutesTest keeps this list equal to
# webhook-service's EventRoutes). The emulator's endpoint subscribes to these only, as a production
# endpoint should (Stripe: "only listen to the event types your integration requires"): a paid
# payment then costs one delivery (payment_intent.succeeded), not three.
stripe_events="charge.dispute.closed;charge.dispute.created;charge.refunded;payment_intent.canceled;payment_intent.payment_failed;payment_intent.succeeded;refund.created;refund.updated"
pg_port="${SUITE_PG_PORT:-5432}"
instance_offset="${SUITE_INSTANCE_OFFSET:-0}"
# Memory (docs/benchmarks-history.md, "Where the RSS goes"): a service's live set is ~15-55 MB after a full GC,
# so a 96 MB heap that starts at 48 MB (not at the default 1/64 of the machine's RAM, which made every
# heap its full maximum) with a 32 MB young generation from the start: the serial collector resizes
# the young generation only after a full collection, so a heap that started at 32 MB kept an 11 MB
# one, collected it every ~250 ms under intake load and promoted in-flight requests into an old
# generation that then grew to the maximum with garbage (2026-11-29 10:24-11:05: webhook-service's
# heap 92 -> 50 MB committed). The code cache has the JVM's default size, as in the image: a 64 MB
# one made the JIT's code-unloading trigger ("CodeCache GC Threshold") a stop-the-world full
# collection of 100-730 ms seven times in a short benchmark run. The JIT compilers' freed malloc
# arenas go back to the OS every 5 s
# (TrimNativeHeapInterval: 25-40 MB per service that glibc otherwise keeps). Tiered compilation with
# C2, as in the image: over full-length benchmark runs C2 cost the services 9-33 % less CPU per
# payment than C1 only, intake at 64 clients ran 1.5-1.8x and checkout 1.3-1.4x as fast, for 25-41
# MiB more RSS per service (docs/benchmarks-history.md, 2026-11-28 20:40-); add -XX:TieredStopAtLevel=1 for
# a short-lived, smaller JVM. -Xms must exceed NewSize by 8 MB or more: a JVM given an AOT cache
# refused to start at -Xms34m ("Unable to use AOT cache") and started at -Xms40m.
java_opts="${SUITE_JAVA_OPTS:--XX:+UseSerialGC -Xms48m -Xmx96m -XX:NewSize=32m -XX:MaxMetaspaceSize=128m -Xss512k -XX:TrimNativeHeapInterval=5000}"

port_of() {
  case "$1" in
    checkout) echo $((base + 1)) ;; webhook) echo $((base + 2)) ;;
    refund) echo $((base + 3)) ;; audit) echo $((base + 4)) ;; console) echo $((base + 5)) ;;
    stripe-emulator) echo "$emulator_port" ;;
    *) echo "unknown service $1" >&2; return 1 ;;
  esac
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

now_ms() { date +%s%3N; }

wait_ready() { # name url [timeout-seconds [pidfile]]: fails early when the process has exited
  local name="$1" url="$2" deadline=$((SECONDS + ${3:-90})) pidfile="${4:-}" log
  log="$logs/$name.log"
  [ -f "$log" ] || log="$logs/$name-service.log" # a service's first instance logs as <name>-service
  until curl -fs -o /dev/null "$url"; do
    if [ -n "$pidfile" ] && ! kill -0 "$(cat "$pidfile" 2>/dev/null)" 2>/dev/null; then
      echo "$name exited before it became ready; last log lines ($log):" >&2
      tail -n 5 "$log" >&2
      return 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "$name did not become ready; last log lines ($log):" >&2
      tail -n 20 "$log" >&2
      return 1
    fi
    sleep 0.02
  done
}

# Like the kubelet (restartPolicy: Always), a service whose process exits during start-up is
# started once more; the first failure's reason stays in the output and in <name>-service.log.1.
wait_service() { # name
  local name="$1" url
  url="http://127.0.0.1:$(( $(port_of "$name") + instance_offset ))/q/health/ready"
  wait_ready "$name-service" "$url" 180 "$piddir/$name.pid" && return 0
  kill -0 "$(cat "$piddir/$name.pid")" 2>/dev/null && return 1 # alive but not ready: a real failure
  echo "restarting $name-service once" >&2
  cp "$logs/$name-service.log" "$logs/$name-service.log.1"
  start_service "$name"
  wait_ready "$name-service" "$url" 180 "$piddir/$name.pid"
}

# The emulator's heap holds its retention budget (half of it, stripe-emulator/README.md "Memory"), so
# once a run has filled it the serial collector's full collections (60-100 ms, every few seconds at
# 2,000 creates/s) stalled every Stripe call of the suite; G1 collects the old objects in steps
# (stripe-emulator/README.md, "Memory").
start_emulator() {
  local port="$emulator_port"
  port_free "$port" || { echo "Port $port is in use" >&2; exit 1; }
  EMULATOR_PORT="$port" \
  EMULATOR_WEBHOOK_ENDPOINTS="http://127.0.0.1:$((base + 2))/webhooks/stripe|$webhook_secret|$stripe_events" \
  EMULATOR_FAULTS="${EMULATOR_FAULTS:-}" \
    java "-Xmx${EMULATOR_XMX:-128m}" -XX:+UseG1GC -XX:TrimNativeHeapInterval=5000 -jar stripe-emulator/target/stripe-emulator.jar >"$logs/stripe-emulator.log" 2>&1 &
  echo $! >"$piddir/stripe-emulator.pid"
  wait_ready stripe-emulator "http://127.0.0.1:$port/_emulator/health"
}

start_service() { # name [instance port] (returns once the process is launched)
  local name="$1" instance="${2:-$1}" port extra_var extra
  port="${3:-$(( $(port_of "$name") + instance_offset ))}"
  port_free "$port" || { echo "Port $port is in use" >&2; exit 1; }
  extra_var="SUITE_ENV_$(echo "$name" | tr '[:lower:]' '[:upper:]')"
  extra="${!extra_var:-}"
  # shellcheck disable=SC2086
  env \
  QUARKUS_HTTP_PORT="$port" \
  QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$pg_port/$db" \
  QUARKUS_DATASOURCE_PASSWORD="${name}_svc" \
  STRIPE_SECRET_KEY="sk_test_local_emulator" \
  STRIPE_PUBLISHABLE_KEY="pk_test_local_emulator" \
  STRIPE_TEST_MODE=true \
  STRIPE_WEBHOOK_SECRET="$webhook_secret" \
  STRIPE_API_BASE="http://127.0.0.1:$emulator_port" \
  MP_JWT_VERIFY_PUBLICKEY_LOCATION="$keys/user-idp/public.pem" \
  PAYMENTS_SERVICE_IDENTITY_PUBLIC_KEYS_DIR="$keys/services/public" \
  PAYMENTS_SERVICE_IDENTITY_SIGN_KEY_LOCATION="$keys/services/$name-service/private.pem" \
  CHECKOUT_ALLOWED_ORIGINS="http://localhost:3000" \
  OUTBOX_DESTINATIONS_CHECKOUT="http://127.0.0.1:$((base + 1))" \
  OUTBOX_DESTINATIONS_WEBHOOK="http://127.0.0.1:$((base + 2))" \
  OUTBOX_DESTINATIONS_REFUND="http://127.0.0.1:$((base + 3))" \
  OUTBOX_DESTINATIONS_AUDIT="http://127.0.0.1:$((base + 4))" \
  WEBHOOK_BATCHED_DESTINATIONS="${WEBHOOK_BATCHED_DESTINATIONS-checkout}" \
  $extra \
    java $java_opts $(aot_opts "$name" "$instance") -jar "$name-service/target/quarkus-app/quarkus-run.jar" >"$logs/$(log_name "$name" "$instance").log" 2>&1 &
  echo $! >"$piddir/$instance.pid"
}

# Migrations run before a service starts, not inside it (issue 14): payments-common's
# SchemaMigration from the service's own jar, as the service's own role; several at once.
migrate() { # name...
  local name extra_var pids=() failed=0 i=0
  for name in "$@"; do
    extra_var="SUITE_ENV_$(echo "$name" | tr '[:lower:]' '[:upper:]')"
    # shellcheck disable=SC2086
    env \
    QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$pg_port/$db" \
    QUARKUS_DATASOURCE_PASSWORD="${name}_svc" \
    ${!extra_var:-} \
      java -XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1 -cp "$name-service/target/quarkus-app/quarkus-run.jar" \
      org.villagehomepage.payments.common.migration.SchemaMigration >"$logs/$name-migrate.log" 2>&1 &
    pids+=($!)
  done
  for name in "$@"; do
    if ! wait "${pids[$i]}"; then
      echo "$name-service: schema migration failed ($logs/$name-migrate.log):" >&2
      tail -n 5 "$logs/$name-migrate.log" >&2
      failed=1
    fi
    i=$((i + 1))
  done
  return "$failed"
}

log_name() { # name instance
  if [ "$1" = "$2" ]; then echo "$1-service"; else echo "$2"; fi
}

# The operator console: no database; calls the services' /admin APIs with the operator's token.
# The dev login mints that token with the local user IdP key, so it listens on loopback only.
start_console() {
  local port
  port="$(port_of console)"
  port_free "$port" || { echo "Port $port is in use" >&2; exit 1; }
  env \
  QUARKUS_HTTP_PORT="$port" \
  QUARKUS_HTTP_HOST=127.0.0.1 \
  CONSOLE_DEV_LOGIN=true \
  CONSOLE_OIDC_ENABLED=false \
  CONSOLE_DEV_LOGIN_KEY="$keys/user-idp/private.pem" \
  CONSOLE_CHECKOUT_URL="http://127.0.0.1:$((base + 1))" \
  CONSOLE_WEBHOOK_URL="http://127.0.0.1:$((base + 2))" \
  CONSOLE_REFUND_URL="http://127.0.0.1:$((base + 3))" \
  CONSOLE_AUDIT_URL="http://127.0.0.1:$((base + 4))" \
  ${SUITE_ENV_CONSOLE:-} \
    java -XX:+UseSerialGC -Xmx96m -XX:MaxMetaspaceSize=96m -XX:ReservedCodeCacheSize=48m -Xss512k \
    -jar ops-console/target/quarkus-app/quarkus-run.jar >"$logs/ops-console.log" 2>&1 &
  echo $! >"$piddir/console.pid"
}

# JDK 25 AOT cache (JEP 483/514/515): the first run of a freshly built jar records one
# (-XX:AOTCacheOutput, written when the service stops: the demo flow or benchmark is the training
# workload); later starts load it and are ready about three times sooner. The JVM ignores a cache
# that does not match the jar or JDK, so a stale one only costs the speed-up. SUITE_AOT=off disables.
aot_opts() { # name [instance]
  local app="$1-service/target/quarkus-app" cache
  cache="$app/app.aot"
  [ "${SUITE_AOT:-on}" = on ] || return 0
  [ "$jdk_aot" = yes ] || return 0
  if [ -f "$cache" ] && [ "$cache" -nt "$app/quarkus-run.jar" ] && [ -z "$(find "$app/lib" "$app/app" -newer "$cache" -type f | head -n 1)" ]; then
    echo "-XX:AOTCache=$cache -Xlog:aot=off -Xlog:cds=off"
  elif [ "${2:-$1}" != "$1" ]; then
    return 0 # another instance: only the service's own instance records the cache
  else
    rm -f "$cache"
    # The archive is written into a buffer bounded by the metaspace limit: a service trained under load
    # (classes plus method profiles) outgrew 128m ("Unable to allocate from 'ro' region") and left no cache.
    echo "-XX:AOTCacheOutput=$cache -XX:MaxMetaspaceSize=512m -Xlog:aot=off -Xlog:cds=off"
    touch "$piddir/$1.training"
  fi
}

stop_one() {
  local f="$piddir/$1.pid" pid waits=150
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  [ -f "$piddir/$1.training" ] && waits=1200 # writing the AOT cache at exit takes a while
  rm -f "$piddir/$1.training"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 "$waits"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

keys="$(scripts/keys.sh)"
jdk_aot=no # JDK 25+ (one-step AOT cache training)
case "${1:-start}" in start*) java -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q AOTCacheOutput && jdk_aot=yes ;; esac
case "${1:-start}" in
  start)
    migrate checkout webhook refund audit & # every schema, also of a service left to quarkus:dev
    migrating=$!
    trap 'kill "$migrating" 2>/dev/null || true' EXIT
    start_emulator
    if ! wait "$migrating"; then stop_one stripe-emulator; exit 1; fi
    trap - EXIT
    names=""
    for name in checkout webhook refund audit; do
      case " ${SUITE_SKIP:-} " in *" $name "*) continue ;; esac # left to quarkus:dev (scripts/dev.sh)
      names="$names $name"
      start_service "$name"
    done
    console=no
    case " ${SUITE_SKIP:-} " in *" console "*) ;; *) console=yes; start_console ;; esac
    for name in $names; do wait_service "$name"; done
    if [ "$console" = yes ]; then
      wait_ready ops-console "http://127.0.0.1:$(port_of console)/q/health/ready" 120 "$piddir/console.pid"
    fi
    echo "suite ready: services on $((base + 1))-$((base + 4)), emulator on $emulator_port, database $db$([ "$console" = yes ] && echo ", console on http://127.0.0.1:$(port_of console)")"
    ;;
  start-one)
    name="${2:?start-one <name> [instance port]}"
    instance="${3:-$name}"
    port="${4:-$(( $(port_of "$name") + instance_offset ))}"
    [ "$name" = console ] || [ "${SUITE_MIGRATE:-on}" = off ] || migrate "$name" || exit 1 # before the clock: not part of its start
    t0=$(now_ms)
    if [ "$name" = console ]; then
      start_console
      wait_ready ops-console "http://127.0.0.1:$(port_of console)/q/health/ready" 120 "$piddir/console.pid"
      echo "console $(($(now_ms) - t0)) null"
      exit 0
    fi
    start_service "$name" "$instance" "$port"
    wait_ready "$instance" "http://127.0.0.1:$port/q/health/ready" 180 "$piddir/$instance.pid"
    t1=$(now_ms)
    started=""
    for _ in $(seq 1 40); do # the log line may come a moment after readiness
      started="$(grep -o 'started in [0-9.]*s' "$logs/$(log_name "$name" "$instance").log" | head -n 1 | grep -o '[0-9.]*' || true)"
      [ -n "$started" ] && break
      sleep 0.05
    done
    echo "$instance $((t1 - t0)) ${started:-null}"
    ;;
  stop)
    if [ -n "${2:-}" ]; then stop_one "$2"; else
      for f in "$piddir"/*.pid; do # every instance, the emulator last
        [ -f "$f" ] || continue
        name="$(basename "$f" .pid)"
        [ "$name" = stripe-emulator ] || stop_one "$name"
      done
      stop_one stripe-emulator
    fi
    ;;
  pids)
    for f in "$piddir"/*.pid; do [ -f "$f" ] && echo "$(basename "$f" .pid) $(cat "$f")"; done
    ;;
  migrate)
    shift
    if [ $# -eq 0 ]; then set -- checkout webhook refund audit; fi
    migrate "$@"
    for name in "$@"; do cat "$logs/$name-migrate.log"; done
    ;;
  *) echo "usage: $0 start|start-one <name>|migrate [name...]|stop [name]|pids" >&2; exit 2 ;;
esac
