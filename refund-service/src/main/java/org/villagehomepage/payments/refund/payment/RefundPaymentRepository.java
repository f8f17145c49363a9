package org.villagehomepage.payments.refund.payment;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.villagehomepage.payments.refund.SqlTime;

/** The ledger rows, on the caller's connection (inside its transaction). */
@ApplicationScoped
public class RefundPaymentRepository {

    private static final String CREATE = """
            INSERT INTO refund_payment (payment_intent_id, charge_id, user_id, listing_id, payment_id, payment_type,
                currency, captured, paid_at, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
            ON CONFLICT (payment_intent_id) DO NOTHING""";
    private static final String LOCK = """
            SELECT payment_intent_id, charge_id, user_id, listing_id, payment_id, payment_type, currency, captured,
                reserved, refunded_externally, disputed, paid_at, created_at, updated_at
            FROM refund_payment WHERE payment_intent_id = $1 FOR UPDATE""";
    // The amounts are all that changes after the row is created.
    private static final String UPDATE = """
            UPDATE refund_payment SET reserved = $2, refunded_externally = $3, disputed = $4, updated_at = $5
            WHERE payment_intent_id = $1""";

    /**
     * Creates the ledger row from Stripe's facts if it does not exist yet (first writer wins), then
     * locks it for the rest of the transaction.
     */
    public Uni<RefundPayment> lockOrCreate(SqlConnection transaction, PaymentFacts facts, Instant now) {
        return transaction
                .preparedQuery(CREATE)
                .execute(Tuple.from(new Object[] {
                    facts.paymentIntentId(),
                    facts.chargeId(),
                    facts.userId(),
                    facts.listingId(),
                    facts.paymentId(),
                    facts.paymentType(),
                    facts.currency(),
                    facts.captured(),
                    SqlTime.of(facts.paidAt()),
                    SqlTime.of(now)
                }))
                .chain(() -> lock(transaction, facts.paymentIntentId()));
    }

    /** SELECT ... FOR UPDATE: everything that can refund this payment waits here for its turn. Null when none. */
    public Uni<RefundPayment> lock(SqlConnection transaction, String paymentIntentId) {
        return transaction
                .preparedQuery(LOCK)
                .execute(Tuple.of(paymentIntentId))
                .map(RefundPaymentRepository::payment);
    }

    /** Writes the amounts changed under the lock (reserve, release, external refunds, disputes). */
    public Uni<Void> update(SqlConnection transaction, RefundPayment payment) {
        return transaction
                .preparedQuery(UPDATE)
                .execute(Tuple.of(
                        payment.paymentIntentId,
                        payment.reserved,
                        payment.refundedExternally,
                        payment.disputed,
                        SqlTime.of(payment.updatedAt)))
                .replaceWithVoid();
    }

    private static RefundPayment payment(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        Row row = rows.iterator().next();
        RefundPayment payment = new RefundPayment();
        payment.paymentIntentId = row.getString("payment_intent_id");
        payment.chargeId = row.getString("charge_id");
        payment.userId = row.getUUID("user_id");
        payment.listingId = row.getUUID("listing_id");
        payment.paymentId = row.getUUID("payment_id");
        payment.paymentType = row.getString("payment_type");
        payment.currency = row.getString("currency");
        payment.captured = row.getLong("captured");
        payment.reserved = row.getLong("reserved");
        payment.refundedExternally = row.getLong("refunded_externally");
        payment.disputed = row.getLong("disputed");
        payment.paidAt = SqlTime.instant(row, "paid_at");
        payment.createdAt = SqlTime.instant(row, "created_at");
        payment.updatedAt = SqlTime.instant(row, "updated_at");
        return payment;
    }
}
