package org.villagehomepage.payments.refund.request;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.villagehomepage.payments.common.state.Transitions;

/**
 * The lifecycle of a refund request. The only transitions: pending -> approved -> processed,
 * pending -> rejected, approved -> failed -> approved (retry), and processed -> failed when Stripe
 * later reports the refund failed or canceled (its reservation is released, an admin may retry).
 * Everything else is a 409.
 */
public enum RefundStatus {
    PENDING("pending"),
    APPROVED("approved"),
    REJECTED("rejected"),
    PROCESSED("processed"),
    FAILED("failed");

    public static final Transitions<RefundStatus> TRANSITIONS = Transitions.of(
            RefundStatus.class,
            "refund request",
            RefundStatus::wire,
            Map.of(
                    PENDING, Set.of(APPROVED, REJECTED),
                    APPROVED, Set.of(PROCESSED, FAILED),
                    FAILED, Set.of(APPROVED),
                    REJECTED, Set.of(),
                    PROCESSED, Set.of(FAILED)));

    private final String wire;

    RefundStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public boolean canBecome(RefundStatus next) {
        return TRANSITIONS.allows(this, next);
    }

    /** Refuses a transition the lifecycle does not have, with a problem the client may see. */
    public void requireTransition(RefundStatus next) {
        TRANSITIONS.require(this, next);
    }

    public static Optional<RefundStatus> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
    }

    /** Reads a stored value back: the table keeps the wire name, as its CHECK constraint lists it. */
    public static RefundStatus fromColumn(String value) {
        for (RefundStatus candidate : values()) {
            if (candidate.wire.equals(value)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Unknown RefundStatus in the database");
    }
}
