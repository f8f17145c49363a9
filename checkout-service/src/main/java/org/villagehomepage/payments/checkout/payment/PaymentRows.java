package org.villagehomepage.payments.checkout.payment;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.villagehomepage.payments.checkout.listing.ListingRows;

/**
 * Payment rows on the reactive SQL client, read into and written from {@link Payment}, so the
 * state machine stays in one place. Every call runs on the caller's client: inside its transaction
 * when it has one. Listing rows are {@link ListingRows}'.
 */
public final class PaymentRows {

    static final String PAYMENT_COLUMNS =
            "id, listing_id, user_id, category_id, purpose, amount, currency, status, payment_intent_id,"
                    + " intent_created_at, failure_code, created_at, updated_at, succeeded_at,"
                    + " refund_requested_at, refund_reason";
    /*
     * The open statuses written into statements, exactly as the partial unique index
     * payment_one_open is defined: a parameter there would let a cached generic plan miss the index
     * (Postgres cannot prove the predicate for an unknown value).
     */
    static final String OPEN_STATUSES = Stream.of(PaymentStatus.values())
            .filter(PaymentStatus::isOpen)
            .map(status -> "'" + status.value() + "'")
            .collect(Collectors.joining(", "));
    static final String FIND_OPEN = "SELECT " + PAYMENT_COLUMNS
            + " FROM payment WHERE listing_id = $1 AND purpose = $2 AND status IN (" + OPEN_STATUSES + ")";
    private static final String LOCK_PAYMENT = "SELECT " + PAYMENT_COLUMNS + " FROM payment WHERE id = $1 FOR UPDATE";
    private static final String LOCK_PAYMENTS =
            "SELECT " + PAYMENT_COLUMNS + " FROM payment WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE";
    private static final String FIND_PAYMENT = "SELECT " + PAYMENT_COLUMNS + " FROM payment WHERE id = $1";
    private static final String FIND_BY_INTENT =
            "SELECT " + PAYMENT_COLUMNS + " FROM payment WHERE payment_intent_id = $1";
    private static final String FIND_UNRECORDED =
            "SELECT " + PAYMENT_COLUMNS + " FROM payment WHERE id = $1 AND payment_intent_id IS NULL";
    static final String LIST_FOR_LISTING =
            "SELECT " + PAYMENT_COLUMNS + " FROM payment WHERE listing_id = $1 ORDER BY created_at";
    static final String LOCK_REFUNDABLE = "SELECT " + PAYMENT_COLUMNS + """
             FROM payment WHERE listing_id = $1 AND status = $2 AND refund_requested_at IS NULL
            ORDER BY created_at, id FOR UPDATE""";
    private static final String INSERT = "INSERT INTO payment (" + PAYMENT_COLUMNS
            + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";
    // The payment and its audit message in one statement, unless one is open for the listing and
    // purpose already (payment_one_open): then neither is written.
    private static final String INSERT_UNLESS_OPEN = "WITH opened AS (" + INSERT
            + " ON CONFLICT (listing_id, purpose) WHERE status IN (" + OPEN_STATUSES + ") DO NOTHING RETURNING id)"
            + " INSERT INTO outbox_message (id, destination, path, payload, request_id)"
            + " SELECT $17::uuid, $18::text, $19::text, $20::text, $21::text FROM opened";
    private static final String UPDATE_REFUND_REQUESTED = """
            UPDATE payment SET refund_requested_at = $2, refund_reason = $3, updated_at = $4
            WHERE id = $1""";

    private PaymentRows() {}

    /** Row-locked (SELECT ... FOR UPDATE), listing first as everywhere in checkout; null when there is none. */
    public static Uni<Payment> lockPayment(SqlClient client, UUID id) {
        return client.preparedQuery(LOCK_PAYMENT).execute(Tuple.of(id)).map(PaymentRows::payment);
    }

    /** Each payment found, by id, locked in id order (after their listings, as above); one round trip. */
    public static Uni<Map<UUID, Payment>> lockPayments(SqlClient client, Collection<UUID> ids) {
        return client.preparedQuery(LOCK_PAYMENTS)
                .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, Payment> byId = new HashMap<>(rows.size() * 2);
                    for (Row row : rows) {
                        Payment payment = payment(row);
                        byId.put(payment.id, payment);
                    }
                    return byId;
                });
    }

    /** The listing's open payment for this purpose (at most one: payment_one_open); null when there is none. */
    public static Uni<Payment> findOpen(SqlClient client, UUID listingId, PaymentPurpose purpose) {
        return client.preparedQuery(FIND_OPEN)
                .execute(Tuple.of(listingId, purpose.value()))
                .map(PaymentRows::payment);
    }

    public static Uni<Payment> findPayment(SqlClient client, UUID id) {
        return client.preparedQuery(FIND_PAYMENT).execute(Tuple.of(id)).map(PaymentRows::payment);
    }

    /**
     * The payment a Stripe event is about: by intent id, or by our id from the intent's metadata
     * when the event overtook the recording of the intent id; null when there is none.
     */
    public static Uni<Payment> findForEvent(SqlClient client, String paymentIntentId, UUID paymentIdFromMetadata) {
        return client.preparedQuery(FIND_BY_INTENT)
                .execute(Tuple.of(paymentIntentId))
                .map(PaymentRows::payment)
                .chain(found -> found != null || paymentIdFromMetadata == null
                        ? Uni.createFrom().item(found)
                        : client.preparedQuery(FIND_UNRECORDED)
                                .execute(Tuple.of(paymentIdFromMetadata))
                                .map(PaymentRows::payment));
    }

    /** The listing's payments, oldest first. */
    public static Uni<List<Payment>> listForListing(SqlClient client, UUID listingId) {
        return client.preparedQuery(LIST_FOR_LISTING)
                .execute(Tuple.of(listingId))
                .map(PaymentRows::payments);
    }

    /** Every succeeded payment of the listing (posting fee and promotions) not refunded yet, locked. */
    public static Uni<List<Payment>> lockRefundable(SqlClient client, UUID listingId) {
        return client.preparedQuery(LOCK_REFUNDABLE)
                .execute(Tuple.of(listingId, PaymentStatus.SUCCEEDED.value()))
                .map(PaymentRows::payments);
    }

    public static Uni<Void> insert(SqlClient client, Payment payment) {
        return client.preparedQuery(INSERT).execute(Tuple.from(values(payment))).replaceWithVoid();
    }

    /**
     * The new payment with its audit message ({@code message}: the outbox row's values), or nothing
     * when the listing has an open payment for this purpose; true when written. Under the listing's
     * lock no other checkout can open one meanwhile.
     */
    public static Uni<Boolean> insertUnlessOpen(SqlClient client, Payment payment, Object[] message) {
        Object[] row = values(payment);
        Object[] both = Arrays.copyOf(row, row.length + message.length);
        System.arraycopy(message, 0, both, row.length, message.length);
        return client.preparedQuery(INSERT_UNLESS_OPEN)
                .execute(Tuple.from(both))
                .map(rows -> rows.rowCount() == 1);
    }

    private static Object[] values(Payment payment) {
        return new Object[] {
            payment.id,
            payment.listingId,
            payment.userId,
            payment.categoryId,
            payment.purpose.value(),
            payment.amount,
            payment.currency,
            payment.status.value(),
            payment.paymentIntentId,
            payment.intentCreatedAt,
            payment.failureCode,
            payment.createdAt,
            payment.updatedAt,
            payment.succeededAt,
            payment.refundRequestedAt,
            payment.refundReason
        };
    }

    /** Writes what {@link RefundRequests#prepare} changes on the payment. */
    static Uni<Void> updateRefundRequested(SqlClient client, Payment payment) {
        return client.preparedQuery(UPDATE_REFUND_REQUESTED)
                .execute(Tuple.of(payment.id, payment.refundRequestedAt, payment.refundReason, payment.updatedAt))
                .replaceWithVoid();
    }

    static Payment payment(RowSet<Row> rows) {
        return rows.size() == 0 ? null : payment(rows.iterator().next());
    }

    private static List<Payment> payments(RowSet<Row> rows) {
        List<Payment> all = new ArrayList<>(rows.size());
        for (Row row : rows) {
            all.add(payment(row));
        }
        return all;
    }

    static Payment payment(Row row) {
        Payment payment = new Payment();
        payment.id = row.getUUID("id");
        payment.listingId = row.getUUID("listing_id");
        payment.userId = row.getUUID("user_id");
        payment.categoryId = row.getUUID("category_id");
        payment.purpose = purpose(row.getString("purpose"));
        payment.amount = row.getLong("amount");
        payment.currency = row.getString("currency");
        payment.status = PaymentStatus.of(row.getString("status"));
        payment.paymentIntentId = row.getString("payment_intent_id");
        payment.intentCreatedAt = row.getOffsetDateTime("intent_created_at");
        payment.failureCode = row.getString("failure_code");
        payment.createdAt = row.getOffsetDateTime("created_at");
        payment.updatedAt = row.getOffsetDateTime("updated_at");
        payment.succeededAt = row.getOffsetDateTime("succeeded_at");
        payment.refundRequestedAt = row.getOffsetDateTime("refund_requested_at");
        payment.refundReason = row.getString("refund_reason");
        return payment;
    }

    private static PaymentPurpose purpose(String value) {
        return PaymentPurpose.of(value)
                .orElseThrow(() -> new IllegalStateException("Unknown PaymentPurpose in the database"));
    }
}
