package org.villagehomepage.payments.checkout.payment;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One PaymentIntent: what it buys, its price fixed when it was opened, and where it stands. A row of
 * {@code payment}, read and written by {@link PaymentRows}.
 */
public class Payment {

    public UUID id;
    public UUID listingId;
    public UUID userId;
    public UUID categoryId;
    public PaymentPurpose purpose;

    /** Minor units. */
    public long amount;

    public String currency;
    public PaymentStatus status;
    public String paymentIntentId;
    public OffsetDateTime intentCreatedAt;
    public String failureCode;
    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;
    public OffsetDateTime succeededAt;
    public OffsetDateTime refundRequestedAt;
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
