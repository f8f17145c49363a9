package org.villagehomepage.payments.audit.detection;

/** The suspicious-activity rules; the label is the {@code rule} of {@code homepage_audit_findings_total}. */
public enum Rule {
    /** More than N checkout attempts by one user in the checkout window. */
    CHECKOUT_VELOCITY("checkout_velocity"),
    /** More than N failed or denied checkout steps by one user in the checkout window. */
    CHECKOUT_FAILURES("checkout_failures"),
    /** More than N webhook signature failures from one source IP in the signature window. */
    SIGNATURE_FAILURES("signature_failures"),
    /** Refunds processed over payments succeeded above a percentage in the rate window. */
    REFUND_RATE("refund_rate"),
    /** Webhook entries that did not succeed above a percentage in the rate window. */
    WEBHOOK_FAILURE_RATE("webhook_failure_rate");

    private final String label;

    Rule(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Rule ofLabel(String label) {
        for (Rule rule : values()) {
            if (rule.label.equals(label)) {
                return rule;
            }
        }
        return null;
    }
}
