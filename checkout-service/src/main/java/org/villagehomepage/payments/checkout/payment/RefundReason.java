package org.villagehomepage.payments.checkout.payment;

/** Why checkout asks refund-service to give a paid fee back (docs/contracts.md). */
public enum RefundReason {
    /** The listing was rejected by moderation after its posting fee was paid. */
    MODERATION_REJECTION("moderation_rejection"),
    /** Paid, but the listing could no longer get what was bought (rejected, removed, already paid). */
    TECHNICAL_FAILURE("technical_failure");

    private final String value;

    RefundReason(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }
}
