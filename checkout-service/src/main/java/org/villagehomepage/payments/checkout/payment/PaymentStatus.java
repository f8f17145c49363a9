package org.villagehomepage.payments.checkout.payment;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.villagehomepage.payments.common.state.Transitions;

/**
 * A payment's life, as a state machine: {@link #TRANSITIONS} is the one table of what may become
 * what, and {@link Payment#moveTo} the one place a payment's status changes. Open ones ({@code creating}, {@code requires_payment}, {@code failed}) are
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

    /**
     * creating -> requires_payment once the intent exists; any open payment -> failed or canceled
     * (events, or Stripe reporting the intent canceled); a failed one stays open for another card;
     * succeeded or mismatch from any non-final status (a late success still counts, even after a
     * cancel was recorded); succeeded and mismatch are final.
     */
    public static final Transitions<PaymentStatus> TRANSITIONS = Transitions.of(
            PaymentStatus.class,
            "payment",
            PaymentStatus::value,
            Map.of(
                    CREATING, Set.of(REQUIRES_PAYMENT, FAILED, CANCELED, SUCCEEDED, MISMATCH),
                    REQUIRES_PAYMENT, Set.of(FAILED, CANCELED, SUCCEEDED, MISMATCH),
                    FAILED, Set.of(CANCELED, SUCCEEDED, MISMATCH),
                    CANCELED, Set.of(SUCCEEDED, MISMATCH),
                    SUCCEEDED, Set.of(),
                    MISMATCH, Set.of()));

    private static final Map<String, PaymentStatus> BY_VALUE =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(PaymentStatus::value, Function.identity()));

    private final String value;

    PaymentStatus(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** The status stored as {@code value} (the tables' CHECK constraints list the same values). */
    public static PaymentStatus of(String value) {
        PaymentStatus found = BY_VALUE.get(value);
        if (found == null) {
            throw new IllegalStateException("Unknown PaymentStatus in the database");
        }
        return found;
    }

    public boolean isOpen() {
        return this == CREATING || this == REQUIRES_PAYMENT || this == FAILED;
    }
}
