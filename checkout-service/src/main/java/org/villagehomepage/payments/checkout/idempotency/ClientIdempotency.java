package org.villagehomepage.payments.checkout.idempotency;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.CheckoutSettings;
import org.villagehomepage.payments.common.cards.CardNumbers;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.sql.CustomPlans;

/**
 * Client {@code Idempotency-Key}s, per user. The first request with a key claims it; a repeat with
 * the same request replays the first answer, a repeat with another request is refused (422), and a
 * repeat while the first is still running is refused (409). A request that fails releases its key,
 * so the client may retry it. Only the payment id is kept, never a client secret. The claim and the
 * completion are written in the checkout's own transactions (before and after the Stripe call), so a
 * checkout that fails before Stripe rolls its claim back with everything else it wrote.
 */
@ApplicationScoped
public class ClientIdempotency {

    public static final String HEADER = "Idempotency-Key";
    private static final Logger LOG = Logger.getLogger(ClientIdempotency.class);
    private static final Pattern SAFE_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private static final String CLAIM = """
            INSERT INTO client_idempotency (user_id, idem_key, request_hash, state) VALUES ($1, $2, $3, 'in_flight')
            ON CONFLICT DO NOTHING""";
    private static final String EXISTING = """
            SELECT request_hash, state, payment_id, updated_at < now() - ($3::bigint || ' milliseconds')::interval AS stale
            FROM client_idempotency WHERE user_id = $1 AND idem_key = $2""";
    private static final String TAKE_OVER = """
            UPDATE client_idempotency SET updated_at = now()
            WHERE user_id = $1 AND idem_key = $2 AND state = 'in_flight' AND updated_at < now() - ($3::bigint || ' milliseconds')::interval""";
    private static final String COMPLETE = """
            UPDATE client_idempotency SET state = 'completed', payment_id = $3, updated_at = now()
            WHERE user_id = $1 AND idem_key = $2""";
    private static final String RELEASE =
            "DELETE FROM client_idempotency WHERE user_id = $1 AND idem_key = $2 AND state = 'in_flight'";

    private final Pool pool;
    private final CheckoutSettings settings;

    public ClientIdempotency(Pool pool, CheckoutSettings settings) {
        this.pool = pool;
        this.settings = settings;
    }

    /**
     * {@code request} names the operation and its inputs, e.g. {@code promote:<listing>:featured};
     * {@code client} is the transaction the claim commits with.
     */
    public Uni<KeyClaim> claim(SqlClient client, UUID userId, String key, String request) {
        if (key == null) {
            return Uni.createFrom().item(KeyClaim.none());
        }
        if (!SAFE_KEY.matcher(key).matches() || CardNumbers.containsPan(key)) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            ProblemType.INVALID_IDEMPOTENCY_KEY,
                            "Idempotency-Key must be 1 to 255 visible ASCII characters"));
        }
        String hash = sha256(request);
        long lease = settings.idempotency().inFlightLease().toMillis();
        return client.preparedQuery(CLAIM)
                .execute(Tuple.of(userId, key, hash))
                .chain(inserted -> inserted.rowCount() == 1
                        ? Uni.createFrom().item(new KeyClaim(userId, key, false, null))
                        : client.preparedQuery(EXISTING)
                                .execute(Tuple.of(userId, key, lease))
                                .chain(rows -> existing(
                                        client,
                                        userId,
                                        key,
                                        hash,
                                        lease,
                                        rows.iterator().hasNext()
                                                ? rows.iterator().next()
                                                : null)));
    }

    /** In the transaction that records the answer ({@code paymentId} null: nothing was due). */
    public Uni<Void> complete(SqlClient client, KeyClaim claim, UUID paymentId) {
        return claim.hasKey() && !claim.replay()
                ? client.preparedQuery(COMPLETE)
                        .execute(Tuple.of(claim.userId(), claim.key(), paymentId))
                        .replaceWithVoid()
                : Uni.createFrom().voidItem();
    }

    /** Failures are not remembered: the key is free for a retry of the same request. */
    public Uni<Void> release(KeyClaim claim) {
        if (!claim.hasKey() || claim.replay()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(RELEASE)
                .execute(Tuple.of(claim.userId(), claim.key()))
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("Idempotency key not released (it frees itself after the lease): %s", FailureKind.of(e));
                    return null;
                });
    }

    @Scheduled(
            every = "${checkout.jobs.every:1m}",
            delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> forgetOldKeys() {
        // a minute's keys of a day's: custom-planned, so it reads client_idempotency_age, never the whole table
        return CustomPlans.inTransaction(
                        pool,
                        connection -> connection
                                .preparedQuery("DELETE FROM client_idempotency"
                                        + " WHERE created_at < now() - ($1::bigint || ' milliseconds')::interval")
                                .execute(Tuple.of(
                                        settings.idempotency().retention().toMillis())))
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("Idempotency key clean-up failed: %s", FailureKind.of(e));
                    return null;
                });
    }

    private Uni<KeyClaim> existing(SqlClient client, UUID userId, String key, String hash, long lease, Row row) {
        if (row == null) {
            // Released between our insert and our read: the client may simply retry.
            return Uni.createFrom().failure(inFlight());
        }
        if (!hash.equals(row.getString("request_hash"))) {
            return Uni.createFrom()
                    .failure(new ProblemException(
                            ProblemType.IDEMPOTENCY_KEY_REUSED,
                            "This Idempotency-Key was used for a different request"));
        }
        if ("completed".equals(row.getString("state"))) {
            return Uni.createFrom().item(new KeyClaim(userId, key, true, row.getUUID("payment_id")));
        }
        if (!row.getBoolean("stale")) {
            return Uni.createFrom().failure(inFlight());
        }
        return client.preparedQuery(TAKE_OVER)
                .execute(Tuple.of(userId, key, lease))
                .map(updated -> {
                    if (updated.rowCount() != 1) {
                        throw inFlight();
                    }
                    return new KeyClaim(userId, key, false, null);
                });
    }

    private static ProblemException inFlight() {
        return new ProblemException(
                ProblemType.IDEMPOTENCY_KEY_IN_USE, "A request with this Idempotency-Key is still running");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
