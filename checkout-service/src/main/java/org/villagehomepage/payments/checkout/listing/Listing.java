package org.villagehomepage.payments.checkout.listing;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "listing")
public class Listing extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "owner_id", nullable = false)
    public UUID ownerId;

    @Column(name = "category_id", nullable = false)
    public UUID categoryId;

    @Column(nullable = false)
    public String title;

    @Column(nullable = false)
    public ListingStatus status;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Column(name = "activated_at")
    public OffsetDateTime activatedAt;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    @Column(name = "last_bumped_at")
    public OffsetDateTime lastBumpedAt;

    @Column(name = "featured_until")
    public OffsetDateTime featuredUntil;

    @Column(name = "activated_by_payment_id")
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
