package org.villagehomepage.payments.webhook.signature;

/** Why a delivery was refused; {@link #reason()} is the metric label of docs/metrics.md. */
public enum SignatureFailure {
    MISSING_HEADER("missing_header"),
    MALFORMED_HEADER("malformed_header"),
    EXPIRED("expired"),
    MISMATCH("mismatch"),
    /** Signed correctly, but for the other Stripe mode than this deployment's key (live vs test). */
    LIVEMODE_MISMATCH("livemode_mismatch");

    private final String reason;

    SignatureFailure(String reason) {
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
