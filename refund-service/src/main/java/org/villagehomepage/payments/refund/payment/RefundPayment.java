package org.villagehomepage.payments.refund.payment;

import java.time.Instant;
import java.util.UUID;

/**
 * The ledger row of one payment: what Stripe captured and how much of it is spoken for. Callers
 * hold the row lock ({@link RefundPaymentRepository#lock}) before reading or changing the amounts,
 * and write what they changed back in that transaction ({@link RefundPaymentRepository#update}).
 */
public class RefundPayment {

    public String paymentIntentId;
    public String chargeId;
    public UUID userId;
    public UUID listingId;
    public UUID paymentId;
    public String paymentType;
    public String currency;
    public long captured;
    public long reserved;
    public long refundedExternally;
    public long disputed;
    public Instant paidAt;
    public Instant createdAt;
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
