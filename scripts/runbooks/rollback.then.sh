# The switch was off (audited) and is on again; the payment started before the rollback landed; checkouts work.
[ "$(sql "SELECT count(*) FROM checkout.outbox_message WHERE destination = 'audit' AND created_at >= '$rbk_since' AND payload::jsonb -> 'events' -> 0 ->> 'action' = 'checkout.paused'")" -ge 1 ] \
  || fixture_fail "checkout.paused not audited"
[ "$(sql "SELECT accepting FROM checkout.checkout_switch")" = t ] || fixture_fail "switch not back on"
pay "$rbk_pi"
eventually 30 "payment made during the rollback applied" is_status "$rbk_listing" "$rbk_tok" active
read -r rbk_listing2 rbk_pi2 < <(new_checkout "$rbk_tok" Housing)
echo "then: pause audited, switch on again, checkout accepted ($rbk_pi2)"
