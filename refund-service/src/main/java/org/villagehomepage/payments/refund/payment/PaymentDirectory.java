package org.villagehomepage.payments.refund.payment;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.villagehomepage.payments.refund.stripe.StripePayments;

/**
 * Where a payment's facts come from: the ledger row once there is one, Stripe before that. The
 * ledger read is one plain query (no ORM session): every Stripe event and refund request starts here.
 */
@ApplicationScoped
public class PaymentDirectory {

    static final String FIND = """
            SELECT payment_intent_id, charge_id, user_id, listing_id, payment_id, payment_type, captured, currency,
                paid_at
            FROM refund_payment WHERE payment_intent_id = $1""";

    private final Pool pool;
    private final StripePayments stripe;

    public PaymentDirectory(Pool pool, StripePayments stripe) {
        this.pool = pool;
        this.stripe = stripe;
    }

    /** The payment's facts, or null when neither the ledger nor Stripe knows it. */
    public Uni<PaymentFacts> find(String paymentIntentId) {
        return pool.preparedQuery(FIND)
                .execute(Tuple.of(paymentIntentId))
                .flatMap(rows -> rows.rowCount() == 1
                        ? Uni.createFrom().item(facts(rows.iterator().next()))
                        : stripe.retrieve(paymentIntentId));
    }

    private static PaymentFacts facts(Row row) {
        return new PaymentFacts(
                row.getString("payment_intent_id"),
                row.getString("charge_id"),
                row.getUUID("user_id"),
                row.getUUID("listing_id"),
                row.getUUID("payment_id"),
                row.getString("payment_type"),
                row.getLong("captured"),
                row.getString("currency"),
                row.getOffsetDateTime("paid_at").toInstant(),
                true);
    }
}
