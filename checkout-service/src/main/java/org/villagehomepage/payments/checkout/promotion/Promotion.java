package org.villagehomepage.payments.checkout.promotion;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A paid promotion of a listing: featured for a period, or a bump to the top (no end). */
@Entity
@Table(name = "promotion")
public class Promotion extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "listing_id", nullable = false)
    public UUID listingId;

    @Column(name = "payment_id", nullable = false)
    public UUID paymentId;

    @Column(nullable = false)
    public PromotionType type;

    @Column(nullable = false)
    public long amount;

    @Column(nullable = false)
    public String currency;

    @Column(name = "starts_at", nullable = false)
    public OffsetDateTime startsAt;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    @Column(nullable = false)
    public PromotionStatus status;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
