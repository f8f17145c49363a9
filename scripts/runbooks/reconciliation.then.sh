eventually 30 "listing $LISTING_ID active after the runbook" is_status "$LISTING_ID" "$sp_tok" active
echo "then: listing $LISTING_ID active"
# The weekly amount reconciliation ran and exported its result (the fixture's payment agrees).
rc_metrics="$(curl -fsS "$WEBHOOK_URL/q/metrics")"
grep -q '^homepage_reconciliation_amount_last_run_timestamp_seconds [1-9]' <<<"$rc_metrics" || fixture_fail "amount reconciliation did not run"
ls reconciliation-*.csv >/dev/null && head -n 1 reconciliation-*.csv | grep -q '^row,day,currency,kind' || fixture_fail "no CSV written"
rm -f reconciliation-*.csv
echo "then: amount reconciliation ran, CSV written"
