[ "$(sql "SELECT p.status FROM checkout.promotion p JOIN checkout.payment y ON y.id = p.payment_id WHERE y.payment_intent_id = '$ex_promo_pi'")" = expired ] \
  || fixture_fail "promotion not expired"
echo "then: the overdue featured promotion of $ex_listing is expired in Postgres"
