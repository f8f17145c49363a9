# A rolled Stripe secret key (the emulator accepts any sk_test_ key, as Stripe accepts the rolled one).
. scripts/runbooks/lib.sh
export NEW_STRIPE_SECRET_KEY="sk_test_rotated_$(uuid | tr -d -)"
echo "given: NEW_STRIPE_SECRET_KEY=sk_test_rotated_..."
