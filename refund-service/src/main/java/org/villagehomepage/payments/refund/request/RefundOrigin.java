package org.villagehomepage.payments.refund.request;

import com.fasterxml.jackson.annotation.JsonValue;

/** Who started a refund: a user's request, another service of the suite, or Stripe itself (Dashboard, disputes). */
public enum RefundOrigin {
    USER("user"),
    SERVICE("service"),
    STRIPE("stripe");

    private final String wire;

    RefundOrigin(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** Reads a stored value back: the table keeps the wire name, as its CHECK constraint lists it. */
    public static RefundOrigin fromColumn(String value) {
        for (RefundOrigin candidate : values()) {
            if (candidate.wire.equals(value)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Unknown RefundOrigin in the database");
    }
}
