package org.villagehomepage.payments.checkout.listing;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.villagehomepage.payments.common.state.Transitions;

/**
 * A listing's life, as a state machine: {@link #TRANSITIONS} is the one table of what may become
 * what, and {@link Listing#moveTo} the one place a listing's status changes.
 */
public enum ListingStatus {
    DRAFT("draft"),
    PENDING_PAYMENT("pending_payment"),
    ACTIVE("active"),
    EXPIRED("expired"),
    REJECTED("rejected"),
    REMOVED("removed");

    /**
     * draft -> active (free category) or pending_payment; pending_payment -> active once the fee is
     * paid (or the category became free); active -> expired; moderation rejects from any status
     * (rejected is final). Nothing in the suite sets removed; a removed listing can still be rejected.
     */
    public static final Transitions<ListingStatus> TRANSITIONS = Transitions.of(
            ListingStatus.class,
            "listing",
            ListingStatus::value,
            Map.of(
                    DRAFT, Set.of(PENDING_PAYMENT, ACTIVE, REJECTED),
                    PENDING_PAYMENT, Set.of(ACTIVE, REJECTED),
                    ACTIVE, Set.of(EXPIRED, REJECTED),
                    EXPIRED, Set.of(REJECTED),
                    REMOVED, Set.of(REJECTED),
                    REJECTED, Set.of()));

    private static final Map<String, ListingStatus> BY_VALUE =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(ListingStatus::value, Function.identity()));

    private final String value;

    ListingStatus(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** The status stored as {@code value} (the tables' CHECK constraints list the same values). */
    public static ListingStatus of(String value) {
        ListingStatus found = BY_VALUE.get(value);
        if (found == null) {
            throw new IllegalStateException("Unknown ListingStatus in the database");
        }
        return found;
    }
}
