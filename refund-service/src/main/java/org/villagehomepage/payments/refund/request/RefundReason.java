package org.villagehomepage.payments.refund.request;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Why money goes back. The automatic reasons are refunded at once within the automatic window. */
public enum RefundReason {
    TECHNICAL_FAILURE("technical_failure"),
    MODERATION_REJECTION("moderation_rejection"),
    USER_REQUEST("user_request"),
    CHARGEBACK("chargeback");

    private final String wire;

    RefundReason(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public boolean automatic() {
        return this == TECHNICAL_FAILURE || this == MODERATION_REJECTION;
    }

    public static Optional<RefundReason> parse(String value) {
        return Arrays.stream(values()).filter(r -> r.wire.equals(value)).findFirst();
    }

    /** Reads a stored value back: the table keeps the wire name, as its CHECK constraint lists it. */
    public static RefundReason fromColumn(String value) {
        for (RefundReason candidate : values()) {
            if (candidate.wire.equals(value)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Unknown RefundReason in the database");
    }
}
