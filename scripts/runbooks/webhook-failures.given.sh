# A receiver was down: checkout-service stopped while a payment's webhook came in; the event is
# stored and its dispatch to checkout-service fails until the runbook brings the receiver back.
. scripts/runbooks/lib.sh
wf_tok="$(scripts/mint-token.sh "$(uuid)" user)"
read -r wf_listing wf_pi < <(new_checkout "$wf_tok" Housing)
kubectl scale deployment/checkout-service --replicas=0 >/dev/null
pay "$wf_pi"
dispatch_failing() { [ "$(sql "SELECT count(*) FROM webhook.outbox_message WHERE destination = 'checkout' AND attempts > 0 AND delivered_at IS NULL AND payload LIKE '%$wf_pi%'")" -gt 0 ]; }
eventually 60 "dispatch of $wf_pi failing while checkout-service is down" dispatch_failing
