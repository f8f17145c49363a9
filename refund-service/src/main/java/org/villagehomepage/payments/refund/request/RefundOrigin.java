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
}
