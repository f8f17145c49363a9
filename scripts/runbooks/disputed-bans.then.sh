unbanned() { [ "$(sql "SELECT banned FROM checkout.user_standing WHERE user_id = '$USER_ID'")" = f ]; }
eventually 60 "ban lifted in checkout-service" unbanned
[ "$(status_of POST "$CHECKOUT_URL/api/marketplace/listings" "$db_tok" "{\"categoryId\":\"$(category "$db_tok" Housing)\",\"title\":\"back\"}")" = 201 ] \
  || fixture_fail "unbanned user still refused"
echo "then: $USER_ID unbanned in checkout-service (Postgres) and may post again"
