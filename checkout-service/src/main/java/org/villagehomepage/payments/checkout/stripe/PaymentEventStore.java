package org.villagehomepage.payments.checkout.stripe;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.villagehomepage.payments.checkout.listing.Listing;
import org.villagehomepage.payments.checkout.listing.ListingRows;
import org.villagehomepage.payments.checkout.payment.Payment;
import org.villagehomepage.payments.checkout.payment.PaymentRows;
import org.villagehomepage.payments.checkout.promotion.Promotion;
import org.villagehomepage.payments.common.outbox.SqlOutbox;

/**
 * The rows a Stripe event changes, read and written with the reactive SQL client on the caller's
 * connection (inside its transaction). This is checkout's hottest write path (one call per paid
 * payment), so it is plain SQL: four round trips for a success where Hibernate took nine, and none of
 * its per-entity work (docs/benchmarks-history.md). Listing and payment rows come from {@link ListingRows} and {@link PaymentRows}.
 */
@ApplicationScoped
public class PaymentEventStore {

    /**
     * Claims the event (the inbox row, per sender; ids remembered before senders were kept count
     * as seen) and finds its payment: by intent id, or by our id from the intent's metadata when the
     * event overtook the recording of the intent id. One round trip.
     */
    private static final String CLAIM_AND_FIND = """
            WITH claimed AS (
                INSERT INTO processed_message (sender, message_id)
                SELECT $1, $2
                WHERE NOT EXISTS (SELECT 1 FROM processed_message WHERE sender = 'legacy' AND message_id = $2)
                ON CONFLICT DO NOTHING
                RETURNING 1)
            SELECT (SELECT count(*) FROM claimed) AS first, p.id, p.listing_id
            FROM (SELECT 1) AS one
            LEFT JOIN LATERAL (
                SELECT id, listing_id, 0 AS rank FROM payment WHERE payment_intent_id = $3
                UNION ALL
                SELECT id, listing_id, 1 AS rank FROM payment WHERE id = $4 AND payment_intent_id IS NULL
                ORDER BY rank LIMIT 1) AS p ON true""";

    private static final String UPDATE_PAYMENT = """
            UPDATE payment SET status = $2, payment_intent_id = $3, failure_code = $4, updated_at = $5,
                succeeded_at = $6, refund_requested_at = $7, refund_reason = $8
            WHERE id = $1""";
    private static final String INSERT_PROMOTION = """
            INSERT INTO promotion (id, listing_id, payment_id, type, amount, currency, starts_at, expires_at, status, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""";

    private final SqlOutbox outbox;

    public PaymentEventStore(SqlOutbox outbox) {
        this.outbox = outbox;
    }

    /** Whether this is the sender's first delivery of the event, and the payment it is about (ids null: none). */
    public record Claim(boolean first, UUID paymentId, UUID listingId) {}

    public Uni<Claim> claim(
            SqlConnection connection, String sender, String messageId, String intentId, UUID paymentId) {
        return connection
                .preparedQuery(CLAIM_AND_FIND)
                .execute(Tuple.of(sender, messageId, intentId, paymentId))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Claim(row.getLong("first") == 1, row.getUUID("id"), row.getUUID("listing_id"));
                });
    }

    /** Row-locked (SELECT ... FOR UPDATE), listing first as everywhere in checkout. */
    public Uni<Listing> lockListing(SqlConnection connection, UUID id) {
        return ListingRows.lock(connection, id);
    }

    public Uni<Payment> lockPayment(SqlConnection connection, UUID id) {
        return PaymentRows.lockPayment(connection, id);
    }

    /** Writes what the event changed: the payment, the listing if it changed, a promotion, outbox messages. */
    public Uni<Void> save(
            SqlConnection connection,
            Payment payment,
            Listing listing,
            boolean listingChanged,
            Promotion promotion,
            List<SqlOutbox.Message> messages) {
        Uni<Void> written = connection
                .preparedQuery(UPDATE_PAYMENT)
                .execute(Tuple.from(new Object[] {
                    payment.id,
                    payment.status.value(),
                    payment.paymentIntentId,
                    payment.failureCode,
                    payment.updatedAt,
                    payment.succeededAt,
                    payment.refundRequestedAt,
                    payment.refundReason
                }))
                .replaceWithVoid();
        if (listingChanged) {
            written = written.chain(() -> ListingRows.update(connection, listing));
        }
        if (promotion != null) {
            written = written.chain(() -> connection
                    .preparedQuery(INSERT_PROMOTION)
                    .execute(Tuple.from(new Object[] {
                        promotion.id,
                        promotion.listingId,
                        promotion.paymentId,
                        promotion.type.value(),
                        promotion.amount,
                        promotion.currency,
                        promotion.startsAt,
                        promotion.expiresAt,
                        promotion.status.value(),
                        promotion.createdAt
                    }))
                    .replaceWithVoid());
        }
        return written.chain(() -> outbox.enqueueAll(connection, messages));
    }
}
