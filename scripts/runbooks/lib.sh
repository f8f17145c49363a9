# Sourced by the <runbook>.given.sh / .then.sh files of scripts/runbooks.sh (never by a runbook):
# they create, against the local suite, the situation a runbook is for, and check its effect.
EM="${EMULATOR_URL:?}"
uuid() { cat /proc/sys/kernel/random/uuid; }
fixture_fail() { echo "FIXTURE FAILED: $*" >&2; exit 1; }
# sql QUERY: one value from the suite's database (SUITE_DB), e.g. "SELECT status FROM checkout.listing ..."
sql() { psql -h 127.0.0.1 -U postgres -d "$SUITE_DB" -tAX -v ON_ERROR_STOP=1 -c "$1"; }
as() { # METHOD URL TOKEN [JSON] -> body; fails on non-2xx
  local out status; out="$(mktemp)"
  status=$(curl -sS -o "$out" -w '%{http_code}' -X "$1" "$2" -H "Authorization: Bearer $3" ${4:+-H 'Content-Type: application/json' -d "$4"})
  [ "${status:0:1}" = 2 ] || { echo "$1 $2 -> $status $(head -c 300 "$out")" >&2; rm -f "$out"; return 1; }
  cat "$out"; rm -f "$out"
}
status_of() { curl -sS -o /dev/null -w '%{http_code}' -X "$1" "$2" -H "Authorization: Bearer $3" ${4:+-H 'Content-Type: application/json' -d "$4"}; }
eventually() { # SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what="$2"; shift 2
  until "$@" >/dev/null 2>&1; do [ $SECONDS -lt $deadline ] || fixture_fail "$what (waited)"; sleep 0.3; done
}
faults() { curl -sS -f -X PUT "$EM/_emulator/faults" -H 'Content-Type: application/json' -d "$1" >/dev/null; }
pay() { curl -sS -f -X POST "$EM/_emulator/payment_intents/$1/pay" -H 'Content-Type: application/json' -d '{"card":"success"}' >/dev/null; }
stripe_get() { curl -sS -f "$EM$1" -H "Authorization: Bearer sk_test_local_emulator"; }
category() { as GET "$CHECKOUT_URL/api/marketplace/categories" "$1" | jq -r --arg n "$2" '.[] | select(.name == $n) | .id'; }
listing_status() { as GET "$CHECKOUT_URL/api/marketplace/listings/$1" "$2" | jq -r .status; }
is_status() { [ "$(listing_status "$1" "$2")" = "$3" ]; }
# new_checkout TOKEN CATEGORY -> "listing-id pi" (not paid yet)
new_checkout() {
  local id pi
  id=$(as POST "$CHECKOUT_URL/api/marketplace/listings" "$1" "{\"categoryId\":\"$(category "$1" "$2")\",\"title\":\"runbook fixture\"}" | jq -r .id)
  pi=$(as POST "$CHECKOUT_URL/api/marketplace/listings/$id/checkout" "$1" '{}' | jq -r .paymentIntentId)
  echo "$id $pi"
}
# paid_listing TOKEN CATEGORY -> "listing-id pi", active
paid_listing() {
  local id pi
  read -r id pi < <(new_checkout "$1" "$2")
  pay "$pi"
  eventually 30 "listing $id active" is_status "$id" "$1" active
  echo "$id $pi"
}
