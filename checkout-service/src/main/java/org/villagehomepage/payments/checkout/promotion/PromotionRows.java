package org.villagehomepage.payments.checkout.promotion;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Promotion rows on the reactive SQL client, on the caller's client (inside its transaction when it has one). */
public final class PromotionRows {

    private static final String COLUMNS =
            "id, listing_id, payment_id, type, amount, currency, starts_at, expires_at, status, created_at";
    private static final String LIST_FOR_LISTING =
            "SELECT " + COLUMNS + " FROM promotion WHERE listing_id = $1 ORDER BY starts_at";
    /*
     * 'active' and 'featured' are written into the statement, as the partial index promotion_expiry
     * is defined. SKIP LOCKED: rows another replica holds are skipped, not waited for.
     */
    private static final String LOCK_EXPIRED = "SELECT " + COLUMNS
            + " FROM promotion WHERE status = 'active' AND type = 'featured' AND expires_at < $1"
            + " ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED";
    private static final String UPDATE_STATUS = "UPDATE promotion SET status = $2 WHERE id = $1";

    private PromotionRows() {}

    /** The listing's promotions, by start. */
    public static Uni<List<Promotion>> listForListing(SqlClient client, UUID listingId) {
        return client.preparedQuery(LIST_FOR_LISTING)
                .execute(Tuple.of(listingId))
                .map(PromotionRows::promotions);
    }

    /** Featured promotions past their end, oldest end first, locked; rows another replica holds are skipped. */
    static Uni<List<Promotion>> lockExpired(SqlClient client, OffsetDateTime now, int limit) {
        return client.preparedQuery(LOCK_EXPIRED).execute(Tuple.of(now, limit)).map(PromotionRows::promotions);
    }

    static Uni<Void> updateStatus(SqlClient client, Promotion promotion) {
        return client.preparedQuery(UPDATE_STATUS)
                .execute(Tuple.of(promotion.id, promotion.status.value()))
                .replaceWithVoid();
    }

    private static List<Promotion> promotions(RowSet<Row> rows) {
        List<Promotion> all = new ArrayList<>(rows.size());
        for (Row row : rows) {
            all.add(promotion(row));
        }
        return all;
    }

    private static Promotion promotion(Row row) {
        Promotion promotion = new Promotion();
        promotion.id = row.getUUID("id");
        promotion.listingId = row.getUUID("listing_id");
        promotion.paymentId = row.getUUID("payment_id");
        promotion.type = PromotionType.of(row.getString("type"));
        promotion.amount = row.getLong("amount");
        promotion.currency = row.getString("currency");
        promotion.startsAt = row.getOffsetDateTime("starts_at");
        promotion.expiresAt = row.getOffsetDateTime("expires_at");
        promotion.status = PromotionStatus.of(row.getString("status"));
        promotion.createdAt = row.getOffsetDateTime("created_at");
        return promotion;
    }
}
