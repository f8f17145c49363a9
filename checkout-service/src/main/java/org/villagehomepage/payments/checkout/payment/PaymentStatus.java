package org.villagehomepage.payments.checkout.payment;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;

/**
 * A payment's life. Open ones ({@code creating}, {@code requires_payment}, {@code failed}) are
 * reused by the next checkout of the same listing and purpose: a failed PaymentIntent can be
 * confirmed again with another card. {@code succeeded} is terminal; {@code canceled} and
 * {@code mismatch} are closed, and the next checkout opens a new payment.
 */
public enum PaymentStatus {
    /** Row written, PaymentIntent not known yet (being created, or creation failed: retried with the same key). */
    CREATING("creating"),
    REQUIRES_PAYMENT("requires_payment"),
    FAILED("failed"),
    SUCCEEDED("succeeded"),
    CANCELED("canceled"),
    /** Stripe reported success with an amount, currency or metadata we did not ask for. */
    MISMATCH("mismatch");

    private final String value;

    PaymentStatus(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public boolean isOpen() {
        return this == CREATING || this == REQUIRES_PAYMENT || this == FAILED;
    }

    @Converter(autoApply = true)
    public static class DbConverter implements AttributeConverter<PaymentStatus, String> {
        @Override
        public String convertToDatabaseColumn(PaymentStatus status) {
            return status == null ? null : status.value;
        }

        @Override
        public PaymentStatus convertToEntityAttribute(String value) {
            return value == null ? null : Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst().orElseThrow();
        }
    }
}
