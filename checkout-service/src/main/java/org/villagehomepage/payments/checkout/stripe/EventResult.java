package org.villagehomepage.payments.checkout.stripe;

import org.villagehomepage.payments.checkout.payment.PaymentPurpose;

/** What one Stripe event did, for the answer to the relay and for the metrics (moved after commit). */
public record EventResult(String outcome, PaymentPurpose purpose, long amount, String currency) {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELED = "canceled";
    public static final String AMOUNT_MISMATCH = "amount_mismatch";
    /** Already applied (same event again, or a later event that cannot change a final state). */
    public static final String UNCHANGED = "unchanged";

    public static final String DUPLICATE = "duplicate";
    public static final String IGNORED = "ignored";

    static EventResult of(String outcome) {
        return new EventResult(outcome, null, 0, null);
    }
}
