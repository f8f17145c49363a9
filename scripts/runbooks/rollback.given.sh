. scripts/runbooks/lib.sh
export DEPLOYMENT=checkout-service
rbk_tok="$(scripts/mint-token.sh "$(uuid)" user)"
read -r rbk_listing rbk_pi < <(new_checkout "$rbk_tok" Housing) # a payment started before the rollback
rbk_since="$(sql "SELECT now()")"
