package org.villagehomepage.payments.checkout.payment;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.UUID;
import org.villagehomepage.payments.checkout.listing.Listing;
import org.villagehomepage.payments.checkout.listing.ListingStatus;

/**
 * Listing and payment rows on the reactive SQL client, for checkout's two hot paths (a checkout and
 * a Stripe event) that do without Hibernate. The same {@link Listing} and {@link Payment} classes
 * carry the rows, so the state machines stay in one place.
 */
public final class PaymentRows {

    static final String LISTING_COLUMNS =
            "id, owner_id, category_id, title, status, created_at, updated_at, activated_at, expires_at,"
                    + " last_bumped_at, featured_until, activated_by_payment_id";
    static final String PAYMENT_COLUMNS =
            "id, listing_id, user_id, category_id, purpose, amount, currency, status, payment_intent_id,"
                    + " intent_created_at, failure_code, created_at, updated_at, succeeded_at,"
                    + " refund_requested_at, refund_reason";
    private static final String LOCK_LISTING = "SELECT " + LISTING_COLUMNS + " FROM listing WHERE id = $1 FOR UPDATE";
    private static final String LOCK_PAYMENT = "SELECT " + PAYMENT_COLUMNS + " FROM payment WHERE id = $1 FOR UPDATE";
    private static final String FIND_PAYMENT = "SELECT " + PAYMENT_COLUMNS + " FROM payment WHERE id = $1";
    private static final String UPDATE_LISTING = """
            UPDATE listing SET status = $2, updated_at = $3, activated_at = $4, expires_at = $5,
                last_bumped_at = $6, featured_until = $7, activated_by_payment_id = $8
            WHERE id = $1""";

    static final ListingStatus.DbConverter LISTING_STATUS = new ListingStatus.DbConverter();
    static final PaymentStatus.DbConverter PAYMENT_STATUS = new PaymentStatus.DbConverter();
    static final PaymentPurpose.DbConverter PURPOSE = new PaymentPurpose.DbConverter();

    private PaymentRows() {}

    /** Row-locked (SELECT ... FOR UPDATE), listing first as everywhere in checkout; null when there is none. */
    public static Uni<Listing> lockListing(SqlClient client, UUID id) {
        return client.preparedQuery(LOCK_LISTING).execute(Tuple.of(id)).map(PaymentRows::listing);
    }

    /** Row-locked (SELECT ... FOR UPDATE); null when there is none. */
    public static Uni<Payment> lockPayment(SqlClient client, UUID id) {
        return client.preparedQuery(LOCK_PAYMENT).execute(Tuple.of(id)).map(PaymentRows::payment);
    }

    public static Uni<Payment> findPayment(SqlClient client, UUID id) {
        return client.preparedQuery(FIND_PAYMENT).execute(Tuple.of(id)).map(PaymentRows::payment);
    }

    /** Writes the listing's state (what {@link Listing#moveTo} and its callers change). */
    public static Uni<Void> updateListing(SqlClient client, Listing listing) {
        return client.preparedQuery(UPDATE_LISTING)
                .execute(Tuple.from(new Object[] {
                    listing.id,
                    LISTING_STATUS.convertToDatabaseColumn(listing.status),
                    listing.updatedAt,
                    listing.activatedAt,
                    listing.expiresAt,
                    listing.lastBumpedAt,
                    listing.featuredUntil,
                    listing.activatedByPaymentId
                }))
                .replaceWithVoid();
    }

    static Payment payment(RowSet<Row> rows) {
        return rows.size() == 0 ? null : payment(rows.iterator().next());
    }

    static Payment payment(Row row) {
        Payment payment = new Payment();
        payment.id = row.getUUID("id");
        payment.listingId = row.getUUID("listing_id");
        payment.userId = row.getUUID("user_id");
        payment.categoryId = row.getUUID("category_id");
        payment.purpose = PURPOSE.convertToEntityAttribute(row.getString("purpose"));
        payment.amount = row.getLong("amount");
        payment.currency = row.getString("currency");
        payment.status = PAYMENT_STATUS.convertToEntityAttribute(row.getString("status"));
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

    private static Listing listing(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        Row row = rows.iterator().next();
        Listing listing = new Listing();
        listing.id = row.getUUID("id");
        listing.ownerId = row.getUUID("owner_id");
        listing.categoryId = row.getUUID("category_id");
        listing.title = row.getString("title");
        listing.status = LISTING_STATUS.convertToEntityAttribute(row.getString("status"));
        listing.createdAt = row.getOffsetDateTime("created_at");
        listing.updatedAt = row.getOffsetDateTime("updated_at");
        listing.activatedAt = row.getOffsetDateTime("activated_at");
        listing.expiresAt = row.getOffsetDateTime("expires_at");
        listing.lastBumpedAt = row.getOffsetDateTime("last_bumped_at");
        listing.featuredUntil = row.getOffsetDateTime("featured_until");
        listing.activatedByPaymentId = row.getUUID("activated_by_payment_id");
        return listing;
    }
}
