package org.villagehomepage.payments.checkout.promotion;

import jakarta.persistence.Converter;
import org.villagehomepage.payments.common.persistence.EnumColumnConverter;

/** A promotion is active until its featured period ends (a bump never expires). */
public enum PromotionStatus {
    ACTIVE("active"),
    EXPIRED("expired");

    private final String value;

    PromotionStatus(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    @Converter(autoApply = true)
    public static class DbConverter extends EnumColumnConverter<PromotionStatus> {
        public DbConverter() {
            super(PromotionStatus.class, PromotionStatus::value);
        }
    }
}
