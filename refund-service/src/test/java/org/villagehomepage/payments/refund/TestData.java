package org.villagehomepage.payments.refund;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Direct access to the refund schema for arranging and asserting (never instead of the API under test). */
public final class TestData {

    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private TestData() {}

    public static String newId(String prefix) {
        return prefix + "_test" + Long.toString(SEQ.incrementAndGet(), 36)
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A ledger row as if the payment had been learned from Stripe already (tests without Stripe calls). */
    public static void knownPayment(
            Pool pool, String paymentIntentId, String chargeId, UUID userId, long captured, OffsetDateTime paidAt) {
        pool.preparedQuery("""
                INSERT INTO refund_payment (payment_intent_id, charge_id, user_id, listing_id, payment_type, currency,
                    captured, paid_at) VALUES ($1, $2, $3, $4, 'posting_fee', 'usd', $5, $6)""")
                .execute(Tuple.of(paymentIntentId, chargeId, userId, UUID.randomUUID(), captured, paidAt))
                .await()
                .indefinitely();
    }

    public static void knownPayment(Pool pool, String paymentIntentId, String chargeId, UUID userId, long captured) {
        knownPayment(
                pool,
                paymentIntentId,
                chargeId,
                userId,
                captured,
                OffsetDateTime.now(ZoneOffset.UTC).minusDays(3));
    }

    public static long count(Pool pool, String sql, Object... params) {
        return pool.preparedQuery(sql)
                .execute(Tuple.from(params))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    public static Row one(Pool pool, String sql, Object... params) {
        var rows = pool.preparedQuery(sql).execute(Tuple.from(params)).await().indefinitely();
        return rows.rowCount() == 0 ? null : rows.iterator().next();
    }

    public static List<Row> all(Pool pool, String sql, Object... params) {
        List<Row> result = new ArrayList<>();
        pool.preparedQuery(sql)
                .execute(Tuple.from(params))
                .await()
                .indefinitely()
                .forEach(result::add);
        return result;
    }

    /** Audit records written through the outbox for one refund request. */
    public static long auditRecords(Pool pool, String action, Object refundId) {
        return count(
                pool,
                "SELECT count(*) FROM outbox_message WHERE destination = 'audit' AND payload LIKE $1 AND payload LIKE $2",
                "%\"action\":\"" + action + "\"%",
                "%" + refundId + "%");
    }
}
