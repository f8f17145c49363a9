package org.villagehomepage.payments.checkout.promotion;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A promotion is active until its featured period ends (a bump never expires). */
public enum PromotionStatus {
    ACTIVE("active"),
    EXPIRED("expired");

    private static final Map<String, PromotionStatus> BY_VALUE =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(PromotionStatus::value, Function.identity()));

    private final String value;

    PromotionStatus(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** The status stored as {@code value} (the tables' CHECK constraints list the same values). */
    public static PromotionStatus of(String value) {
        PromotionStatus found = BY_VALUE.get(value);
        if (found == null) {
            throw new IllegalStateException("Unknown PromotionStatus in the database");
        }
        return found;
    }
}
