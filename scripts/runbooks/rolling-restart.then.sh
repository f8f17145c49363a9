. scripts/runbooks/lib.sh
rr_tok="$(scripts/mint-token.sh "$(uuid)" user)"
read -r rr_listing rr_pi < <(paid_listing "$rr_tok" Housing)
echo "then: all four restarted; listing $rr_listing paid and applied afterwards"
