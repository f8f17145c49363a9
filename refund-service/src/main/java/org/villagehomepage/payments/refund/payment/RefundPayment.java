package org.villagehomepage.payments.refund.payment;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * The ledger row of one payment: what Stripe captured and how much of it is spoken for. Callers
 * hold the row lock ({@link RefundPaymentRepository#lock}) before reading or changing the amounts.
 */
@Entity
@Table(name = "refund_payment")
public class RefundPayment extends PanacheEntityBase {

    @Id
    @Column(name = "payment_intent_id")
    public String paymentIntentId;

    @Column(name = "charge_id", nullable = false)
    public String chargeId;

    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "listing_id")
    public UUID listingId;

    @Column(name = "payment_id")
    public UUID paymentId;

    @Column(name = "payment_type")
    public String paymentType;

    @Column(nullable = false)
    public String currency;

    @Column(nullable = false)
    public long captured;

    @Column(nullable = false)
    public long reserved;

    @Column(name = "refunded_externally", nullable = false)
    public long refundedExternally;

    @Column(nullable = false)
    public long disputed;

    @Column(name = "paid_at", nullable = false)
    public Instant paidAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** What the suite may still refund; never negative (a dispute may cover an earlier refund). */
    public long refundable() {
        return Math.max(0, captured - reserved - refundedExternally - disputed);
    }

    public boolean fits(long amount) {
        return amount > 0 && amount <= refundable();
    }

    public void reserve(long amount, Instant now) {
        if (!fits(amount)) {
            throw new IllegalStateException("reservation exceeds what is refundable");
        }
        reserved += amount;
        updatedAt = now;
    }

    public void release(long amount, Instant now) {
        reserved = Math.max(0, reserved - amount);
        updatedAt = now;
    }

    public boolean ownedBy(UUID user) {
        return userId != null && userId.equals(user);
    }
}
