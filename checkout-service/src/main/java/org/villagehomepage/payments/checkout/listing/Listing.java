package org.villagehomepage.payments.checkout.listing;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A listing and its state machine; a row of {@code listing}, read and written by {@link ListingRows}. */
public class Listing {

    public UUID id;
    public UUID ownerId;
    public UUID categoryId;
    public String title;
    public ListingStatus status;
    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;
    public OffsetDateTime activatedAt;
    public OffsetDateTime expiresAt;
    public OffsetDateTime lastBumpedAt;
    public OffsetDateTime featuredUntil;
    public UUID activatedByPaymentId;

    public static Listing draft(UUID ownerId, UUID categoryId, String title) {
        Listing listing = new Listing();
        listing.id = UUID.randomUUID();
        listing.ownerId = ownerId;
        listing.categoryId = categoryId;
        listing.title = title;
        listing.status = ListingStatus.DRAFT;
        listing.createdAt = OffsetDateTime.now();
        listing.updatedAt = listing.createdAt;
        return listing;
    }

    /** Live from now for {@code lifetime}; {@code paymentId} is null for a free category. */
    public void activate(Duration lifetime, UUID paymentId) {
        moveTo(ListingStatus.ACTIVE);
        activatedAt = updatedAt;
        expiresAt = updatedAt.plus(lifetime);
        activatedByPaymentId = paymentId;
    }

    /** The one place a listing's status changes; {@link ListingStatus#TRANSITIONS} says what may follow what. */
    public void moveTo(ListingStatus next) {
        ListingStatus.TRANSITIONS.require(status, next);
        status = next;
        updatedAt = OffsetDateTime.now();
    }

    public boolean isOwnedBy(UUID userId) {
        return ownerId.equals(userId);
    }
}
