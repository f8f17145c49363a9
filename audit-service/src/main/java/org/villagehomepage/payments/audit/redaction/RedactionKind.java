package org.villagehomepage.payments.audit.redaction;

/** What was redacted; the label is the {@code kind} of {@code homepage_audit_redactions_total}. */
public enum RedactionKind {
    PAN("pan"),
    CVC("cvc"),
    CLIENT_SECRET("client_secret"),
    API_KEY("api_key"),
    SIGNATURE("signature"),
    JWT("jwt");

    private final String label;

    RedactionKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The text that replaces a redacted value; it contains no digit, so it can never look like a PAN. */
    public String marker() {
        return "[REDACTED:" + label + "]";
    }
}
