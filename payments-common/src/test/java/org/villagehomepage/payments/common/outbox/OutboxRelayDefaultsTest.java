package org.villagehomepage.payments.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.TestReceiver;
import org.villagehomepage.payments.common.testing.JwtKeysResource;

/**
 * The relay with its production defaults (no relay setting overridden). Time is not waited for:
 * messages are inserted as if created days ago and already retried hundreds of times, which is
 * what a receiver outage of that length leaves behind.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
class OutboxRelayDefaultsTest {

    private static final Duration THREE_DAYS = Duration.ofDays(3);

    @Inject
    OutboxRelay relay;

    @Inject
    OutboxSettings settings;

    @Inject
    Pool pool;

    @Inject
    TestReceiver receiver;

    @BeforeEach
    void clean() {
        pool.query("TRUNCATE outbox_message, processed_message")
                .execute()
                .await()
                .indefinitely();
        receiver.reset();
    }

    @Test
    void aReceiverDownForThreeDaysNeverDeadLettersAMessage() {
        receiver.failuresLeft.set(1_000_000);
        for (int status : new int[] {500, 502, 503, 504, 408, 409, 429}) {
            receiver.failureStatus.set(status);
            UUID id = insert("test", THREE_DAYS.plusMinutes(10), 500);

            relay.relayDue().await().indefinitely();

            assertThat(status(id)).as("after HTTP %d", status).isEqualTo("pending");
            assertThat(attempts(id)).isEqualTo(501);
            assertThat(secondsUntilDue(id))
                    .as("next try within one max-backoff step")
                    .isPositive()
                    .isLessThanOrEqualTo(settings.relay().maxBackoff().toSeconds());
        }
        UUID refused = insert("down", THREE_DAYS.plusMinutes(10), 500);
        relay.relayDue().await().indefinitely();
        assertThat(status(refused)).as("connection refused").isEqualTo("pending");
    }

    @Test
    void aPermanentAnswerDeadLettersAtOnce() {
        receiver.failuresLeft.set(1_000_000);
        for (int status : new int[] {400, 404, 410, 422}) {
            receiver.failureStatus.set(status);
            UUID id = insert("test", Duration.ZERO, 0);

            relay.relayDue().await().indefinitely();

            assertThat(status(id)).as("after HTTP %d", status).isEqualTo("dead");
            assertThat(attempts(id)).isEqualTo(1);
        }
    }

    @Test
    void aMessageStillRefusedAfterTheRetryWindowIsDead() {
        receiver.failuresLeft.set(1_000_000);
        UUID id = insert("test", settings.relay().retryWindow().plusMinutes(1), 600);

        relay.relayDue().await().indefinitely();

        assertThat(status(id)).isEqualTo("dead");
        assertThat(receiver.applied).doesNotContainKey(id.toString());
    }

    @Test
    void theDefaultScheduleKeepsRetryingAtLeastEveryMaxBackoffForThreeDays() {
        assertThat(settings.relay().retryWindow()).isGreaterThanOrEqualTo(THREE_DAYS);
        assertThat(settings.relay().maxBackoff()).isLessThanOrEqualTo(Duration.ofMinutes(10));
        double elapsed = 0;
        int attempt = 0;
        while (elapsed <= THREE_DAYS.toSeconds()) {
            attempt++;
            assertThat(relay.isDead(attempt, elapsed, 503))
                    .as("attempt %d after %.0f s", attempt, elapsed)
                    .isFalse();
            double wait = relay.backoffSeconds(attempt);
            assertThat(wait).isLessThanOrEqualTo(settings.relay().maxBackoff().toSeconds());
            elapsed += wait;
        }
        assertThat(relay.isDead(1, 0, 404)).isTrue();
        assertThat(relay.isDead(1, 0, 429)).isFalse();
    }

    private UUID insert(String destination, Duration age, int attempts) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("""
                INSERT INTO outbox_message (id, destination, path, payload, attempts, created_at)
                VALUES ($1, $2, '/internal/test-receiver/messages', '{}', $3, now() - make_interval(secs => $4))""")
                .execute(Tuple.of(id, destination, attempts, (double) age.toSeconds()))
                .await()
                .indefinitely();
        return id;
    }

    private String status(UUID id) {
        return row(id).getString("status");
    }

    private int attempts(UUID id) {
        return row(id).getInteger("attempts");
    }

    private long secondsUntilDue(UUID id) {
        return Math.round(row(id).getDouble("due_in"));
    }

    private Row row(UUID id) {
        return pool.preparedQuery("""
                SELECT status, attempts, extract(epoch FROM available_at - now())::float8 AS due_in
                FROM outbox_message WHERE id = $1""")
                .execute(Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next();
    }
}
