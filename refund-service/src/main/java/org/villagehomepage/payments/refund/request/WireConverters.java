package org.villagehomepage.payments.refund.request;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;

/** Stores the enums as their lowercase wire names, as the CHECK constraints expect. */
final class WireConverters {

    private WireConverters() {
    }

    @Converter(autoApply = true)
    public static class StatusConverter implements AttributeConverter<RefundStatus, String> {
        @Override
        public String convertToDatabaseColumn(RefundStatus value) {
            return value == null ? null : value.wire();
        }

        @Override
        public RefundStatus convertToEntityAttribute(String value) {
            return value == null ? null : RefundStatus.parse(value).orElseThrow();
        }
    }

    @Converter(autoApply = true)
    public static class ReasonConverter implements AttributeConverter<RefundReason, String> {
        @Override
        public String convertToDatabaseColumn(RefundReason value) {
            return value == null ? null : value.wire();
        }

        @Override
        public RefundReason convertToEntityAttribute(String value) {
            return value == null ? null : RefundReason.parse(value).orElseThrow();
        }
    }

    @Converter(autoApply = true)
    public static class OriginConverter implements AttributeConverter<RefundOrigin, String> {
        @Override
        public String convertToDatabaseColumn(RefundOrigin value) {
            return value == null ? null : value.wire();
        }

        @Override
        public RefundOrigin convertToEntityAttribute(String value) {
            return value == null ? null : Arrays.stream(RefundOrigin.values())
                    .filter(o -> o.wire().equals(value)).findFirst().orElseThrow();
        }
    }
}
