package org.villagehomepage.payments.checkout.payment;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
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

    @Converter(autoApply = true)
    public static class DbConverter implements AttributeConverter<PaymentPurpose, String> {
        @Override
        public String convertToDatabaseColumn(PaymentPurpose purpose) {
            return purpose == null ? null : purpose.value;
        }

        @Override
        public PaymentPurpose convertToEntityAttribute(String value) {
            return value == null ? null : of(value).orElseThrow();
        }
    }
}
