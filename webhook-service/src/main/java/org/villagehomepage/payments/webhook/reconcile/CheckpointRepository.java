package org.villagehomepage.payments.webhook.reconcile;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * The reconciliation checkpoint row, claimed with a lease: one replica reconciles at a time, no
 * connection is held while Stripe is listed, and a crashed run's claim simply expires.
 */
@ApplicationScoped
public class CheckpointRepository {

    /** What a successful claim returns: the stored checkpoint, empty before the first run. */
    public record Claim(UUID token, Optional<Instant> checkpoint) {}

    private static final String CLAIM = """
            UPDATE reconciliation_checkpoint SET lease_token = $1, lease_until = now() + make_interval(secs => $2)
            WHERE name = 'stripe_events' AND (lease_until IS NULL OR lease_until < now())
            RETURNING checkpoint""";
    private static final String COMPLETE = """
            UPDATE reconciliation_checkpoint SET checkpoint = $2, lease_token = NULL, lease_until = NULL,
                last_run_at = now(), last_listed = $3, last_found = $4
            WHERE name = 'stripe_events' AND lease_token = $1""";
    private static final String RELEASE = """
            UPDATE reconciliation_checkpoint SET lease_token = NULL, lease_until = NULL WHERE lease_token = $1""";

    private final Pool pool;

    public CheckpointRepository(Pool pool) {
        this.pool = pool;
    }

    /** Empty when another run holds the lease. */
    public Uni<Optional<Claim>> claim(Duration lease) {
        UUID token = UUID.randomUUID();
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(token, lease.toMillis() / 1000.0))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        return Optional.empty();
                    }
                    OffsetDateTime checkpoint = rows.iterator().next().getOffsetDateTime("checkpoint");
                    return Optional.of(
                            new Claim(token, Optional.ofNullable(checkpoint).map(OffsetDateTime::toInstant)));
                });
    }

    /** Moves the checkpoint, if this run still holds the lease; answers whether it did. */
    public Uni<Boolean> complete(SqlConnection connection, Claim claim, Instant checkpoint, int listed, int found) {
        return connection
                .preparedQuery(COMPLETE)
                .execute(Tuple.of(claim.token(), checkpoint.atOffset(ZoneOffset.UTC), listed, found))
                .map(rows -> rows.rowCount() == 1);
    }

    public Uni<Void> release(Claim claim) {
        return pool.preparedQuery(RELEASE).execute(Tuple.of(claim.token())).replaceWithVoid();
    }
}
