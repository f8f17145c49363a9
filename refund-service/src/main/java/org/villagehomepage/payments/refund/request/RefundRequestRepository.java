package org.villagehomepage.payments.refund.request;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.villagehomepage.payments.refund.SqlTime;

/**
 * The {@code refund_request} rows. Reads take the pool or the caller's connection; writes and locks
 * take the connection of the caller's transaction.
 */
@ApplicationScoped
public class RefundRequestRepository {

    private static final String COLUMNS = """
            id, payment_intent_id, listing_id, user_id, amount, currency, reason, origin, status, reserved,
                stripe_refund_id, requested_by, request_note, reviewer, decision_note, failure, stripe_attempts,
                stripe_key_attempt, recovery_due_at, recovery_checks, created_at, updated_at, decided_at, processed_at""";
    private static final String FIND = "SELECT " + COLUMNS + " FROM refund_request WHERE id = $1";
    private static final String LOCK = FIND + " FOR UPDATE";
    private static final String PAYMENT_OF = "SELECT payment_intent_id FROM refund_request WHERE id = $1";
    private static final String BY_STRIPE_REFUND =
            "SELECT " + COLUMNS + " FROM refund_request WHERE stripe_refund_id = $1 LIMIT 1";
    private static final String BY_STATUS =
            "SELECT " + COLUMNS + " FROM refund_request WHERE status = $1 ORDER BY created_at, id LIMIT $2 OFFSET $3";
    private static final String ALL =
            "SELECT " + COLUMNS + " FROM refund_request ORDER BY created_at DESC, id LIMIT $1 OFFSET $2";
    private static final String BY_IDS =
            "SELECT " + COLUMNS + " FROM refund_request WHERE id = ANY($1) ORDER BY updated_at";
    private static final String PENDING_COUNT = "SELECT count(*) FROM refund_request WHERE status = 'pending'";
    // The user's own requests that still count as open: pending, approved or failed (retryable).
    private static final String OPEN_USER_REQUESTS = """
            SELECT count(*) FROM refund_request
            WHERE payment_intent_id = $1 AND user_id = $2 AND origin = 'user' AND status IN ('pending', 'approved', 'failed')""";
    private static final String INSERT = "INSERT INTO refund_request (" + COLUMNS + """
            ) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                $22, $23, $24)""";
    // Every column a transition may change; the rest is fixed when the request is created.
    private static final String UPDATE = """
            UPDATE refund_request SET status = $2, reserved = $3, stripe_refund_id = $4, reviewer = $5,
                decision_note = $6, failure = $7, stripe_attempts = $8, stripe_key_attempt = $9, recovery_due_at = $10,
                recovery_checks = $11, updated_at = $12, decided_at = $13, processed_at = $14
            WHERE id = $1""";
    private static final String CLAIM_STUCK = """
            UPDATE refund_request r SET recovery_checks = r.recovery_checks + 1,
                recovery_due_at = CAST($1 AS timestamptz) + make_interval(secs => least(CAST($4 AS double precision),
                    CAST($5 AS double precision) * power(2, least(r.recovery_checks, 20))))
            WHERE r.id IN (SELECT id FROM refund_request
                           WHERE status = 'approved' AND updated_at < CAST($2 AS timestamptz)
                             AND (recovery_due_at IS NULL OR recovery_due_at <= CAST($1 AS timestamptz))
                           ORDER BY coalesce(recovery_due_at, updated_at), id
                           LIMIT CAST($3 AS integer) FOR UPDATE SKIP LOCKED)
            RETURNING r.id""";

    /**
     * The payment of a request without its row: the request is read (and locked) only after its
     * payment's ledger row is locked (lock order: payment, then request).
     */
    public Uni<String> paymentOf(SqlClient client, UUID id) {
        return client.preparedQuery(PAYMENT_OF)
                .execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /** SELECT ... FOR UPDATE; call after locking the request's payment row (lock order: payment, then request). */
    public Uni<RefundRequest> lock(SqlConnection transaction, UUID id) {
        return transaction.preparedQuery(LOCK).execute(Tuple.of(id)).map(RefundRequestRepository::one);
    }

    public Uni<RefundRequest> find(SqlClient client, UUID id) {
        return client.preparedQuery(FIND).execute(Tuple.of(id)).map(RefundRequestRepository::one);
    }

    public Uni<RefundRequest> findByStripeRefundId(SqlClient client, String stripeRefundId) {
        return client.preparedQuery(BY_STRIPE_REFUND)
                .execute(Tuple.of(stripeRefundId))
                .map(RefundRequestRepository::one);
    }

    /** {@code offset} rows are skipped; the order is total (id breaks ties), so pages never overlap. */
    public Uni<List<RefundRequest>> byStatus(SqlClient client, RefundStatus status, int offset, int limit) {
        return client.preparedQuery(BY_STATUS)
                .execute(Tuple.of(status.wire(), (long) limit, (long) offset))
                .map(RefundRequestRepository::all);
    }

    public Uni<List<RefundRequest>> all(SqlClient client, int offset, int limit) {
        return client.preparedQuery(ALL)
                .execute(Tuple.of((long) limit, (long) offset))
                .map(RefundRequestRepository::all);
    }

    public Uni<Boolean> hasOpenUserRequest(SqlClient client, String paymentIntentId, UUID userId) {
        return client.preparedQuery(OPEN_USER_REQUESTS)
                .execute(Tuple.of(paymentIntentId, userId))
                .map(rows -> rows.iterator().next().getLong(0) > 0);
    }

    /**
     * Claims up to {@code limit} approved requests untouched since {@code before} whose recovery is
     * due, oldest due first, and pushes each one's next due time back ({@code base} doubled per
     * earlier check, at most {@code max}): a refund still pending at Stripe is asked about less and
     * less often and never keeps the others from their turn. SKIP LOCKED lets replicas share the work.
     */
    public Uni<List<UUID>> claimStuck(
            SqlConnection transaction, Instant before, Instant now, int limit, Duration base, Duration max) {
        return transaction
                .preparedQuery(CLAIM_STUCK)
                .execute(Tuple.of(SqlTime.of(now), SqlTime.of(before), limit, (double) max.toSeconds(), (double)
                        base.toSeconds()))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getUUID(0)));
                    return ids;
                });
    }

    public Uni<List<RefundRequest>> byIds(SqlClient client, List<UUID> ids) {
        return ids.isEmpty()
                ? Uni.createFrom().item(List.of())
                : client.preparedQuery(BY_IDS)
                        .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(UUID[]::new)))
                        .map(RefundRequestRepository::all);
    }

    public Uni<Long> pendingCount(SqlClient client) {
        return client.preparedQuery(PENDING_COUNT)
                .execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Void> insert(SqlConnection transaction, RefundRequest r) {
        return transaction
                .preparedQuery(INSERT)
                .execute(Tuple.from(new Object[] {
                    r.id,
                    r.paymentIntentId,
                    r.listingId,
                    r.userId,
                    r.amount,
                    r.currency,
                    r.reason.wire(),
                    r.origin.wire(),
                    r.status.wire(),
                    r.reserved,
                    r.stripeRefundId,
                    r.requestedBy,
                    r.requestNote,
                    r.reviewer,
                    r.decisionNote,
                    r.failure,
                    r.stripeAttempts,
                    r.stripeKeyAttempt,
                    SqlTime.of(r.recoveryDueAt),
                    r.recoveryChecks,
                    SqlTime.of(r.createdAt),
                    SqlTime.of(r.updatedAt),
                    SqlTime.of(r.decidedAt),
                    SqlTime.of(r.processedAt)
                }))
                .replaceWithVoid();
    }

    /** Writes what a transition changed (the row is locked by the caller's transaction). */
    public Uni<Void> update(SqlConnection transaction, RefundRequest r) {
        return transaction
                .preparedQuery(UPDATE)
                .execute(Tuple.from(new Object[] {
                    r.id,
                    r.status.wire(),
                    r.reserved,
                    r.stripeRefundId,
                    r.reviewer,
                    r.decisionNote,
                    r.failure,
                    r.stripeAttempts,
                    r.stripeKeyAttempt,
                    SqlTime.of(r.recoveryDueAt),
                    r.recoveryChecks,
                    SqlTime.of(r.updatedAt),
                    SqlTime.of(r.decidedAt),
                    SqlTime.of(r.processedAt)
                }))
                .replaceWithVoid();
    }

    private static RefundRequest one(RowSet<Row> rows) {
        return rows.size() == 0 ? null : request(rows.iterator().next());
    }

    private static List<RefundRequest> all(RowSet<Row> rows) {
        List<RefundRequest> requests = new ArrayList<>(rows.size());
        rows.forEach(row -> requests.add(request(row)));
        return requests;
    }

    private static RefundRequest request(Row row) {
        RefundRequest r = new RefundRequest();
        r.id = row.getUUID("id");
        r.paymentIntentId = row.getString("payment_intent_id");
        r.listingId = row.getUUID("listing_id");
        r.userId = row.getUUID("user_id");
        r.amount = row.getLong("amount");
        r.currency = row.getString("currency");
        r.reason = RefundReason.fromColumn(row.getString("reason"));
        r.origin = RefundOrigin.fromColumn(row.getString("origin"));
        r.status = RefundStatus.fromColumn(row.getString("status"));
        r.reserved = row.getBoolean("reserved");
        r.stripeRefundId = row.getString("stripe_refund_id");
        r.requestedBy = row.getString("requested_by");
        r.requestNote = row.getString("request_note");
        r.reviewer = row.getString("reviewer");
        r.decisionNote = row.getString("decision_note");
        r.failure = row.getString("failure");
        r.stripeAttempts = row.getInteger("stripe_attempts");
        r.stripeKeyAttempt = row.getInteger("stripe_key_attempt");
        r.recoveryDueAt = SqlTime.instant(row, "recovery_due_at");
        r.recoveryChecks = row.getInteger("recovery_checks");
        r.createdAt = SqlTime.instant(row, "created_at");
        r.updatedAt = SqlTime.instant(row, "updated_at");
        r.decidedAt = SqlTime.instant(row, "decided_at");
        r.processedAt = SqlTime.instant(row, "processed_at");
        return r;
    }
}
