package org.villagehomepage.payments.refund.payment;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.villagehomepage.payments.refund.stripe.StripePayments;

/** Where a payment's facts come from: the ledger row once there is one, Stripe before that. */
@ApplicationScoped
public class PaymentDirectory {

    private final RefundPaymentRepository payments;
    private final StripePayments stripe;

    public PaymentDirectory(RefundPaymentRepository payments, StripePayments stripe) {
        this.payments = payments;
        this.stripe = stripe;
    }

    /** The payment's facts, or null when neither the ledger nor Stripe knows it. */
    public Uni<PaymentFacts> find(String paymentIntentId) {
        return Panache.withSession(() -> payments.findById(paymentIntentId))
                .flatMap(known ->
                        known != null ? Uni.createFrom().item(facts(known)) : stripe.retrieve(paymentIntentId));
    }

    private static PaymentFacts facts(RefundPayment payment) {
        return new PaymentFacts(
                payment.paymentIntentId,
                payment.chargeId,
                payment.userId,
                payment.listingId,
                payment.paymentId,
                payment.paymentType,
                payment.captured,
                payment.currency,
                payment.paidAt,
                true);
    }
}
