package org.villagehomepage.payments.checkout.promotion;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import org.villagehomepage.payments.checkout.payment.PaymentPurpose;

public enum PromotionType {
    FEATURED("featured", PaymentPurpose.PROMOTION_FEATURED),
    BUMP("bump", PaymentPurpose.PROMOTION_BUMP);

    private final String value;
    private final PaymentPurpose purpose;

    PromotionType(String value, PaymentPurpose purpose) {
        this.value = value;
        this.purpose = purpose;
    }

    @JsonValue
    public String value() {
        return value;
    }

    public PaymentPurpose purpose() {
        return purpose;
    }

    /** JSON uses {@link #value()} both ways; an unknown value answers 400 with the field named. */
    public static PromotionType of(String value) {
        return Arrays.stream(values())
                .filter(t -> t.value.equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown promotion type"));
    }
}
