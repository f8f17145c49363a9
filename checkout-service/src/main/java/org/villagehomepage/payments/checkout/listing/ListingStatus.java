package org.villagehomepage.payments.checkout.listing;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;

public enum ListingStatus {
    DRAFT("draft"),
    PENDING_PAYMENT("pending_payment"),
    ACTIVE("active"),
    EXPIRED("expired"),
    REJECTED("rejected"),
    REMOVED("removed");

    private final String value;

    ListingStatus(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    @Converter(autoApply = true)
    public static class DbConverter implements AttributeConverter<ListingStatus, String> {
        @Override
        public String convertToDatabaseColumn(ListingStatus status) {
            return status == null ? null : status.value;
        }

        @Override
        public ListingStatus convertToEntityAttribute(String value) {
            return value == null ? null : Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst().orElseThrow();
        }
    }
}
