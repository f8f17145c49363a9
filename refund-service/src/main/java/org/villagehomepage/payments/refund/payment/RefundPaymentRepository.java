package org.villagehomepage.payments.refund.payment;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;

@ApplicationScoped
public class RefundPaymentRepository implements PanacheRepositoryBase<RefundPayment, String> {

    /**
     * Creates the ledger row from Stripe's facts if it does not exist yet (first writer wins), then
     * locks it for the rest of the transaction.
     */
    public Uni<RefundPayment> lockOrCreate(PaymentFacts facts, Instant now) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("""
                INSERT INTO refund_payment (payment_intent_id, charge_id, user_id, listing_id, payment_id, payment_type,
                    currency, captured, paid_at, created_at, updated_at)
                VALUES (:pi, :charge, :user, :listing, :payment, :type, :currency, :captured, :paidAt, :now, :now)
                ON CONFLICT (payment_intent_id) DO NOTHING""")
                        .setParameter("pi", facts.paymentIntentId())
                        .setParameter("charge", facts.chargeId())
                        .setParameter("user", facts.userId())
                        .setParameter("listing", facts.listingId())
                        .setParameter("payment", facts.paymentId())
                        .setParameter("type", facts.paymentType())
                        .setParameter("currency", facts.currency())
                        .setParameter("captured", facts.captured())
                        .setParameter("paidAt", facts.paidAt())
                        .setParameter("now", now)
                        .executeUpdate())
                .flatMap(inserted -> lock(facts.paymentIntentId()));
    }

    /** SELECT ... FOR UPDATE: everything that can refund this payment waits here for its turn. */
    public Uni<RefundPayment> lock(String paymentIntentId) {
        return findById(paymentIntentId, LockModeType.PESSIMISTIC_WRITE);
    }
}
