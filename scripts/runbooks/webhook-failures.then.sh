eventually 90 "listing $wf_listing active once checkout-service is back" is_status "$wf_listing" "$wf_tok" active
echo "then: listing $wf_listing active after the receiver came back"
