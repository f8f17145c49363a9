package org.villagehomepage.payments.checkout.payment;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One PaymentIntent: what it buys, its price fixed when it was opened, and where it stands. */
@Entity
@Table(name = "payment")
public class Payment extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "listing_id", nullable = false)
    public UUID listingId;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "category_id", nullable = false)
    public UUID categoryId;

    @Column(nullable = false)
    public PaymentPurpose purpose;

    /** Minor units. */
    @Column(nullable = false)
    public long amount;

    @Column(nullable = false)
    public String currency;

    @Column(nullable = false)
    public PaymentStatus status;

    @Column(name = "payment_intent_id")
    public String paymentIntentId;

    @Column(name = "intent_created_at")
    public OffsetDateTime intentCreatedAt;

    @Column(name = "failure_code")
    public String failureCode;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Column(name = "succeeded_at")
    public OffsetDateTime succeededAt;

    @Column(name = "refund_requested_at")
    public OffsetDateTime refundRequestedAt;

    @Column(name = "refund_reason")
    public String refundReason;

    public static Payment open(
            UUID listingId, UUID userId, UUID categoryId, PaymentPurpose purpose, long amount, String currency) {
        Payment payment = new Payment();
        payment.id = UUID.randomUUID();
        payment.listingId = listingId;
        payment.userId = userId;
        payment.categoryId = categoryId;
        payment.purpose = purpose;
        payment.amount = amount;
        payment.currency = currency;
        payment.status = PaymentStatus.CREATING;
        payment.createdAt = OffsetDateTime.now();
        payment.updatedAt = payment.createdAt;
        return payment;
    }

    /** The key of every Stripe write for this payment: retries and concurrent checkouts reach one intent. */
    public String stripeIdempotencyKey() {
        return id.toString();
    }

    /** The one place a payment's status changes; {@link PaymentStatus#TRANSITIONS} says what may follow what. */
    public void moveTo(PaymentStatus next) {
        PaymentStatus.TRANSITIONS.require(status, next);
        status = next;
        updatedAt = OffsetDateTime.now();
    }
}
