# The local Stripe is the emulator; its endpoint for this suite is the one suite-start.sh registered.
. scripts/runbooks/lib.sh
export STRIPE_API="$EM" STRIPE_SECRET_KEY=sk_test_local_emulator WEBHOOK_PUBLIC_URL="$WEBHOOK_URL/webhooks/stripe"
