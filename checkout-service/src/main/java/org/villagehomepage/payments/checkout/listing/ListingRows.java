package org.villagehomepage.payments.checkout.listing;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.common.problem.ProblemException;

/**
 * Listing rows on the reactive SQL client, read into and written from {@link Listing}, so the
 * state machine stays in one place. Every call runs on the caller's client: inside its transaction
 * when it has one.
 */
public final class ListingRows {

    private static final String COLUMNS =
            "id, owner_id, category_id, title, status, created_at, updated_at, activated_at, expires_at,"
                    + " last_bumped_at, featured_until, activated_by_payment_id";
    private static final String FIND = "SELECT " + COLUMNS + " FROM listing WHERE id = $1";
    private static final String LOCK = FIND + " FOR UPDATE";
    // a checkout's lock: the listing with its category's posting fee, in one round trip
    private static final String LOCK_WITH_FEE = "SELECT " + COLUMNS + ", fee.posting_fee, fee.currency FROM listing,"
            + " LATERAL (SELECT posting_fee, currency FROM category WHERE category.id = listing.category_id) fee"
            + " WHERE listing.id = $1 FOR UPDATE OF listing";
    // in id order, so two transactions that lock several listings never wait on each other in a cycle
    private static final String LOCK_ALL =
            "SELECT " + COLUMNS + " FROM listing WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE";
    /*
     * 'active' is written into the statement, as the partial index listing_expiry is defined, so any
     * plan of it can use that index. SKIP LOCKED: rows another replica holds are skipped, not waited for.
     */
    private static final String LOCK_EXPIRED = "SELECT " + COLUMNS
            + " FROM listing WHERE status = 'active' AND expires_at < $1 ORDER BY expires_at LIMIT $2"
            + " FOR UPDATE SKIP LOCKED";
    private static final String INSERT =
            "INSERT INTO listing (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
    private static final String UPDATE = """
            UPDATE listing SET status = $2, updated_at = $3, activated_at = $4, expires_at = $5,
                last_bumped_at = $6, featured_until = $7, activated_by_payment_id = $8
            WHERE id = $1""";
    private static final String UPDATE_ALL = """
            UPDATE listing l SET status = u.status, updated_at = u.updated_at, activated_at = u.activated_at,
                expires_at = u.expires_at, last_bumped_at = u.last_bumped_at, featured_until = u.featured_until,
                activated_by_payment_id = u.activated_by_payment_id
            FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::timestamptz[],
                    $6::timestamptz[], $7::timestamptz[], $8::uuid[])
                AS u(id, status, updated_at, activated_at, expires_at, last_bumped_at, featured_until,
                    activated_by_payment_id)
            WHERE l.id = u.id""";

    private ListingRows() {}

    /** Null when there is none. */
    public static Uni<Listing> find(SqlClient client, UUID id) {
        return client.preparedQuery(FIND).execute(Tuple.of(id)).map(ListingRows::first);
    }

    /** Someone else's listing is answered exactly like a missing one. */
    public static Uni<Listing> findOwned(SqlClient client, UUID id, UUID ownerId) {
        return find(client, id).map(listing -> ownedOrNotFound(listing, ownerId));
    }

    /** Row-locked (SELECT ... FOR UPDATE); every flow locks its listing first, so the state read is current. */
    public static Uni<Listing> lock(SqlClient client, UUID id) {
        return client.preparedQuery(LOCK).execute(Tuple.of(id)).map(ListingRows::first);
    }

    /** A listing locked as by {@link #lock}, and what its category charges today to post one. */
    public record Priced(Listing listing, long postingFee, String currency) {}

    /** {@link #lock} with the category's posting fee in the same statement; null when there is no listing. */
    public static Uni<Priced> lockWithPostingFee(SqlClient client, UUID id) {
        return client.preparedQuery(LOCK_WITH_FEE).execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            return new Priced(listing(row), row.getLong("posting_fee"), row.getString("currency"));
        });
    }

    /** Each listing found, by id, locked in id order (see LOCK_ALL); one round trip. */
    public static Uni<Map<UUID, Listing>> lockAll(SqlClient client, Collection<UUID> ids) {
        return client.preparedQuery(LOCK_ALL)
                .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, Listing> byId = new HashMap<>(rows.size() * 2);
                    for (Row row : rows) {
                        Listing listing = listing(row);
                        byId.put(listing.id, listing);
                    }
                    return byId;
                });
    }

    /** Active listings past their end, oldest end first, locked; rows another replica holds are skipped. */
    static Uni<List<Listing>> lockExpired(SqlClient client, OffsetDateTime now, int limit) {
        return client.preparedQuery(LOCK_EXPIRED).execute(Tuple.of(now, limit)).map(rows -> {
            List<Listing> all = new ArrayList<>(rows.size());
            for (Row row : rows) {
                all.add(listing(row));
            }
            return all;
        });
    }

    public static Uni<Void> insert(SqlClient client, Listing listing) {
        return client.preparedQuery(INSERT)
                .execute(Tuple.from(new Object[] {
                    listing.id,
                    listing.ownerId,
                    listing.categoryId,
                    listing.title,
                    listing.status.value(),
                    listing.createdAt,
                    listing.updatedAt,
                    listing.activatedAt,
                    listing.expiresAt,
                    listing.lastBumpedAt,
                    listing.featuredUntil,
                    listing.activatedByPaymentId
                }))
                .replaceWithVoid();
    }

    /** Writes the listing's state (what {@link Listing#moveTo} and its callers change). */
    public static Uni<Void> update(SqlClient client, Listing listing) {
        return client.preparedQuery(UPDATE)
                .execute(Tuple.from(new Object[] {
                    listing.id,
                    listing.status.value(),
                    listing.updatedAt,
                    listing.activatedAt,
                    listing.expiresAt,
                    listing.lastBumpedAt,
                    listing.featuredUntil,
                    listing.activatedByPaymentId
                }))
                .replaceWithVoid();
    }

    /** {@link #update} of several listings in one statement. */
    public static Uni<Void> updateAll(SqlClient client, Collection<Listing> listings) {
        if (listings.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = listings.size();
        UUID[] ids = new UUID[n];
        String[] statuses = new String[n];
        OffsetDateTime[] updatedAt = new OffsetDateTime[n];
        OffsetDateTime[] activatedAt = new OffsetDateTime[n];
        OffsetDateTime[] expiresAt = new OffsetDateTime[n];
        OffsetDateTime[] lastBumpedAt = new OffsetDateTime[n];
        OffsetDateTime[] featuredUntil = new OffsetDateTime[n];
        UUID[] activatedBy = new UUID[n];
        int i = 0;
        for (Listing listing : listings) {
            ids[i] = listing.id;
            statuses[i] = listing.status.value();
            updatedAt[i] = listing.updatedAt;
            activatedAt[i] = listing.activatedAt;
            expiresAt[i] = listing.expiresAt;
            lastBumpedAt[i] = listing.lastBumpedAt;
            featuredUntil[i] = listing.featuredUntil;
            activatedBy[i] = listing.activatedByPaymentId;
            i++;
        }
        return client.preparedQuery(UPDATE_ALL)
                .execute(Tuple.tuple()
                        .addArrayOfUUID(ids)
                        .addArrayOfString(statuses)
                        .addArrayOfOffsetDateTime(updatedAt)
                        .addArrayOfOffsetDateTime(activatedAt)
                        .addArrayOfOffsetDateTime(expiresAt)
                        .addArrayOfOffsetDateTime(lastBumpedAt)
                        .addArrayOfOffsetDateTime(featuredUntil)
                        .addArrayOfUUID(activatedBy))
                .replaceWithVoid();
    }

    /** Someone else's listing is answered exactly like a missing one. */
    public static Listing ownedOrNotFound(Listing listing, UUID ownerId) {
        if (listing == null || !listing.isOwnedBy(ownerId)) {
            throw ProblemException.notFound("Listing");
        }
        return listing;
    }

    private static Listing first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : listing(rows.iterator().next());
    }

    private static Listing listing(Row row) {
        Listing listing = new Listing();
        listing.id = row.getUUID("id");
        listing.ownerId = row.getUUID("owner_id");
        listing.categoryId = row.getUUID("category_id");
        listing.title = row.getString("title");
        listing.status = ListingStatus.of(row.getString("status"));
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
