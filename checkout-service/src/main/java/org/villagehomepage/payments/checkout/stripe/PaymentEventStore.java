package org.villagehomepage.payments.checkout.stripe;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
 * payment), so it is plain SQL over arrays: a single event and a relayed batch take the same seven
 * statements at most, whatever the batch's size, and none of Hibernate's per-entity work
 * (docs/benchmarks-history.md). Listing and payment rows come from {@link ListingRows} and {@link PaymentRows}.
 */
@ApplicationScoped
public class PaymentEventStore {

    /**
     * Claims the events (their inbox rows, per sender; ids remembered before senders were kept count
     * as seen) and finds each one's payment: by intent id, or by our id from the intent's metadata
     * when the event overtook the recording of the intent id. One round trip, one row per event, in
     * the order given ({@code n}). The caller passes each event id once. Claimed in id order, so two batches that
     * share events (a retry racing its first attempt) wait on each other in the same order.
     */
    private static final String CLAIM_AND_FIND_ALL = """
            WITH event AS (
                SELECT * FROM unnest($2::text[], $3::text[], $4::uuid[]) WITH ORDINALITY AS e(message_id, intent_id, payment_id, n)),
            claimed AS (
                INSERT INTO processed_message (sender, message_id)
                SELECT $1, e.message_id FROM event e
                WHERE NOT EXISTS (SELECT 1 FROM processed_message WHERE sender = 'legacy' AND message_id = e.message_id)
                ORDER BY e.message_id
                ON CONFLICT DO NOTHING
                RETURNING message_id)
            SELECT e.n, e.message_id IN (SELECT message_id FROM claimed) AS first, p.id, p.listing_id
            FROM event e
            LEFT JOIN LATERAL (
                SELECT id, listing_id, 0 AS rank FROM payment WHERE payment_intent_id = e.intent_id
                UNION ALL
                SELECT id, listing_id, 1 AS rank FROM payment WHERE id = e.payment_id AND payment_intent_id IS NULL
                ORDER BY rank LIMIT 1) AS p ON true
            ORDER BY e.n""";

    private static final String UPDATE_PAYMENTS = """
            UPDATE payment p SET status = u.status, payment_intent_id = u.payment_intent_id,
                failure_code = u.failure_code, updated_at = u.updated_at, succeeded_at = u.succeeded_at,
                refund_requested_at = u.refund_requested_at, refund_reason = u.refund_reason
            FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
                    $7::timestamptz[], $8::text[])
                AS u(id, status, payment_intent_id, failure_code, updated_at, succeeded_at, refund_requested_at,
                    refund_reason)
            WHERE p.id = u.id""";
    private static final String INSERT_PROMOTIONS = """
            INSERT INTO promotion (id, listing_id, payment_id, type, amount, currency, starts_at, expires_at, status, created_at)
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::bigint[], $6::text[],
                $7::timestamptz[], $8::timestamptz[], $9::text[], $10::timestamptz[])""";

    private final SqlOutbox outbox;

    public PaymentEventStore(SqlOutbox outbox) {
        this.outbox = outbox;
    }

    /** Whether this is the sender's first delivery of the event, and the payment it is about (ids null: none). */
    public record Claim(boolean first, UUID paymentId, UUID listingId) {}

    /** Each event id once; the claims in the order given. */
    public Uni<List<Claim>> claimAll(
            SqlConnection connection,
            String sender,
            List<String> messageIds,
            List<String> intentIds,
            List<UUID> paymentIds) {
        return connection
                .preparedQuery(CLAIM_AND_FIND_ALL)
                .execute(Tuple.tuple()
                        .addString(sender)
                        .addArrayOfString(messageIds.toArray(String[]::new))
                        .addArrayOfString(intentIds.toArray(String[]::new))
                        .addArrayOfUUID(paymentIds.toArray(UUID[]::new)))
                .map(rows -> {
                    List<Claim> claims = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        claims.add(new Claim(row.getBoolean("first"), row.getUUID("id"), row.getUUID("listing_id")));
                    }
                    return claims;
                });
    }

    /** Several listings locked in id order, by id: all listings before any payment. */
    public Uni<Map<UUID, Listing>> lockListings(SqlConnection connection, Collection<UUID> ids) {
        return ListingRows.lockAll(connection, ids);
    }

    public Uni<Map<UUID, Payment>> lockPayments(SqlConnection connection, Collection<UUID> ids) {
        return PaymentRows.lockPayments(connection, ids);
    }

    /** What the events changed: one statement each for payments, listings, promotions and messages. */
    public Uni<Void> saveAll(
            SqlConnection connection,
            Collection<Payment> payments,
            Collection<Listing> listings,
            List<Promotion> promotions,
            List<SqlOutbox.Message> messages) {
        return updatePayments(connection, payments)
                .chain(() -> ListingRows.updateAll(connection, listings))
                .chain(() -> insertPromotions(connection, promotions))
                .chain(() -> outbox.enqueueAll(connection, messages));
    }

    private static Uni<Void> updatePayments(SqlConnection connection, Collection<Payment> payments) {
        if (payments.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = payments.size();
        UUID[] ids = new UUID[n];
        String[] statuses = new String[n];
        String[] intentIds = new String[n];
        String[] failureCodes = new String[n];
        OffsetDateTime[] updatedAt = new OffsetDateTime[n];
        OffsetDateTime[] succeededAt = new OffsetDateTime[n];
        OffsetDateTime[] refundRequestedAt = new OffsetDateTime[n];
        String[] refundReasons = new String[n];
        int i = 0;
        for (Payment payment : payments) {
            ids[i] = payment.id;
            statuses[i] = payment.status.value();
            intentIds[i] = payment.paymentIntentId;
            failureCodes[i] = payment.failureCode;
            updatedAt[i] = payment.updatedAt;
            succeededAt[i] = payment.succeededAt;
            refundRequestedAt[i] = payment.refundRequestedAt;
            refundReasons[i] = payment.refundReason;
            i++;
        }
        return connection
                .preparedQuery(UPDATE_PAYMENTS)
                .execute(Tuple.tuple()
                        .addArrayOfUUID(ids)
                        .addArrayOfString(statuses)
                        .addArrayOfString(intentIds)
                        .addArrayOfString(failureCodes)
                        .addArrayOfOffsetDateTime(updatedAt)
                        .addArrayOfOffsetDateTime(succeededAt)
                        .addArrayOfOffsetDateTime(refundRequestedAt)
                        .addArrayOfString(refundReasons))
                .replaceWithVoid();
    }

    private static Uni<Void> insertPromotions(SqlConnection connection, List<Promotion> promotions) {
        if (promotions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = promotions.size();
        UUID[] ids = new UUID[n];
        UUID[] listingIds = new UUID[n];
        UUID[] paymentIds = new UUID[n];
        String[] types = new String[n];
        Long[] amounts = new Long[n];
        String[] currencies = new String[n];
        OffsetDateTime[] startsAt = new OffsetDateTime[n];
        OffsetDateTime[] expiresAt = new OffsetDateTime[n];
        String[] statuses = new String[n];
        OffsetDateTime[] createdAt = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            Promotion promotion = promotions.get(i);
            ids[i] = promotion.id;
            listingIds[i] = promotion.listingId;
            paymentIds[i] = promotion.paymentId;
            types[i] = promotion.type.value();
            amounts[i] = promotion.amount;
            currencies[i] = promotion.currency;
            startsAt[i] = promotion.startsAt;
            expiresAt[i] = promotion.expiresAt;
            statuses[i] = promotion.status.value();
            createdAt[i] = promotion.createdAt;
        }
        return connection
                .preparedQuery(INSERT_PROMOTIONS)
                .execute(Tuple.tuple()
                        .addArrayOfUUID(ids)
                        .addArrayOfUUID(listingIds)
                        .addArrayOfUUID(paymentIds)
                        .addArrayOfString(types)
                        .addArrayOfLong(amounts)
                        .addArrayOfString(currencies)
                        .addArrayOfOffsetDateTime(startsAt)
                        .addArrayOfOffsetDateTime(expiresAt)
                        .addArrayOfString(statuses)
                        .addArrayOfOffsetDateTime(createdAt))
                .replaceWithVoid();
    }
}
