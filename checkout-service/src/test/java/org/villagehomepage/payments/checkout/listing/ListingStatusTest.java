package org.villagehomepage.payments.checkout.listing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.problem.ProblemException;

/** The listing state machine as a table, without Quarkus. */
class ListingStatusTest {

    private static final Set<String> ALLOWED = Set.of(
            "draft>pending_payment",
            "draft>active",
            "draft>rejected",
            "pending_payment>active",
            "pending_payment>rejected",
            "active>expired",
            "active>rejected",
            "expired>rejected",
            "removed>rejected");

    @Test
    void onlyTheTableTransitionsExist() {
        for (ListingStatus from : ListingStatus.values()) {
            for (ListingStatus to : ListingStatus.values()) {
                boolean allowed = ALLOWED.contains(from.value() + ">" + to.value());
                assertThat(ListingStatus.TRANSITIONS.allows(from, to))
                        .as(from + " -> " + to)
                        .isEqualTo(allowed);
            }
        }
    }

    @Test
    void activationGoesThroughTheTable() {
        Listing listing = Listing.draft(UUID.randomUUID(), UUID.randomUUID(), "bike");
        listing.moveTo(ListingStatus.PENDING_PAYMENT);
        listing.activate(Duration.ofDays(30), UUID.randomUUID());
        assertThat(listing.status).isEqualTo(ListingStatus.ACTIVE);
        assertThat(listing.expiresAt).isEqualTo(listing.activatedAt.plusDays(30));

        listing.moveTo(ListingStatus.EXPIRED);
        assertThatThrownBy(() -> listing.activate(Duration.ofDays(30), null))
                .isInstanceOfSatisfying(ProblemException.class, p -> {
                    assertThat(p.status()).isEqualTo(409);
                    assertThat(p.getMessage()).isEqualTo("A expired listing cannot become active");
                });
        assertThat(listing.status).isEqualTo(ListingStatus.EXPIRED);
    }

    @Test
    void rejectedIsFinal() {
        Listing listing = Listing.draft(UUID.randomUUID(), UUID.randomUUID(), "bike");
        listing.moveTo(ListingStatus.REJECTED);
        for (ListingStatus next : ListingStatus.values()) {
            assertThatThrownBy(() -> listing.moveTo(next)).isInstanceOf(ProblemException.class);
        }
    }
}
