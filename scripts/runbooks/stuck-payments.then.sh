eventually 30 "listing $LISTING_ID active after the runbook" is_status "$LISTING_ID" "$sp_tok" active
echo "then: listing $LISTING_ID active"
