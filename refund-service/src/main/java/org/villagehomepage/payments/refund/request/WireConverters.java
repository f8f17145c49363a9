package org.villagehomepage.payments.refund.request;

import jakarta.persistence.Converter;
import org.villagehomepage.payments.common.persistence.EnumColumnConverter;

/** Stores the enums as their lowercase wire names, as the CHECK constraints expect. */
final class WireConverters {

    private WireConverters() {}

    @Converter(autoApply = true)
    public static class StatusConverter extends EnumColumnConverter<RefundStatus> {
        public StatusConverter() {
            super(RefundStatus.class, RefundStatus::wire);
        }
    }

    @Converter(autoApply = true)
    public static class ReasonConverter extends EnumColumnConverter<RefundReason> {
        public ReasonConverter() {
            super(RefundReason.class, RefundReason::wire);
        }
    }

    @Converter(autoApply = true)
    public static class OriginConverter extends EnumColumnConverter<RefundOrigin> {
        public OriginConverter() {
            super(RefundOrigin.class, RefundOrigin::wire);
        }
    }
}
