package org.villagehomepage.payments.refund.payment;

import java.time.Instant;
import java.util.UUID;

/**
 * What Stripe says about a payment, read from its PaymentIntent (metadata set by checkout-service)
 * and its latest charge. {@code succeeded} is false for a PaymentIntent without a paid charge.
 */
public record PaymentFacts(
        String paymentIntentId,
        String chargeId,
        UUID userId,
        UUID listingId,
        UUID paymentId,
        String paymentType,
        long captured,
        String currency,
        Instant paidAt,
        boolean succeeded) {}
