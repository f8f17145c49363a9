package org.villagehomepage.payments.checkout.payment;

import java.util.Arrays;
import java.util.Optional;

/** What a payment buys; its value is PaymentIntent metadata {@code payment_type} and the metric label. */
public enum PaymentPurpose {
    POSTING_FEE("posting_fee"),
    PROMOTION_FEATURED("promotion_featured"),
    PROMOTION_BUMP("promotion_bump");

    private final String value;

    PaymentPurpose(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<PaymentPurpose> of(String value) {
        return Arrays.stream(values()).filter(p -> p.value.equals(value)).findFirst();
    }
}
