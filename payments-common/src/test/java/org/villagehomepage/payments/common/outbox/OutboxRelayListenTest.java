package org.villagehomepage.payments.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.TestReceiver;
import org.villagehomepage.payments.common.testing.JwtKeysResource;

/**
 * Issue 14: a committed message wakes the relay (the outbox trigger's NOTIFY on outbox_<schema>,
 * the relay's LISTEN). The relay polls once an hour here, so every delivery below comes from a
 * wake-up. The waits are bounds on a loop, never a measured time.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@TestProfile(OutboxTestProfiles.ListenOnly.class)
class OutboxRelayListenTest {

    @Inject
    Pool pool;

    @Inject
    TestReceiver receiver;

    @BeforeEach
    void clean() {
        receiver.reset();
    }

    @Test
    void aCommittedMessageIsRelayedWithoutWaitingForThePoll() {
        // the first may also be seen by the catch-up cycle run when the listener connects; the
        // second is written after that cycle has ended (the first is recorded), so only a
        // notification explains its delivery
        for (int i = 0; i < 2; i++) {
            UUID id = insert();
            assertThat(awaitStatus(id, "delivered")).isEqualTo("delivered");
            assertThat(receiver.deliveries.get(id.toString())).hasValue(1);
            assertThat(receiver.applied.get(id.toString())).hasValue(1);
        }
    }

    @Test
    void messagesWrittenInOneTransactionAreAllRelayed() {
        UUID[] ids = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        pool.withTransaction(c -> c.preparedQuery(
                                "INSERT INTO outbox_message (id, destination, path, payload) VALUES ($1, 'test', '/internal/test-receiver/messages', '{}')")
                        .executeBatch(
                                java.util.Arrays.stream(ids).map(Tuple::of).toList()))
                .await()
                .indefinitely();
        for (UUID id : ids) {
            assertThat(awaitStatus(id, "delivered")).isEqualTo("delivered");
            assertThat(receiver.deliveries.get(id.toString())).hasValue(1);
        }
    }

    @Test
    void theRelayListensAgainAfterItsConnectionIsLost() {
        UUID first = insert(); // the listener is up (a fresh start may still be connecting)
        assertThat(awaitStatus(first, "delivered")).isEqualTo("delivered");
        int killed = listenerPid();
        assertThat(killed).as("a backend listening for the relay").isPositive();

        pool.preparedQuery("SELECT pg_terminate_backend($1)")
                .execute(Tuple.of(killed))
                .await()
                .indefinitely();
        int again = 0;
        for (int i = 0; i < 600 && (again == 0 || again == killed); i++) {
            sleep(50);
            again = listenerPid();
        }
        assertThat(again).as("a new listening backend").isPositive().isNotEqualTo(killed);

        UUID id = insert();
        assertThat(awaitStatus(id, "delivered")).isEqualTo("delivered");
        assertThat(receiver.deliveries.get(id.toString())).hasValue(1);
    }

    /** The backend whose last statement was the relay's LISTEN (0 if none). */
    private int listenerPid() {
        var rows = pool.query("""
                SELECT pid FROM pg_stat_activity
                WHERE datname = current_database() AND query LIKE 'LISTEN %' AND state = 'idle'""").execute().await().indefinitely();
        return rows.size() == 1 ? rows.iterator().next().getInteger(0) : 0;
    }

    private UUID insert() {
        UUID id = UUID.randomUUID();
        pool.preparedQuery(
                        "INSERT INTO outbox_message (id, destination, path, payload) VALUES ($1, 'test', '/internal/test-receiver/messages', '{}')")
                .execute(Tuple.of(id))
                .await()
                .indefinitely();
        return id;
    }

    /** The row's status once it is {@code wanted}, or as it is after the loop's bound (30 s). */
    private String awaitStatus(UUID id, String wanted) {
        String status = null;
        for (int i = 0; i < 600 && !wanted.equals(status); i++) {
            if (i > 0) {
                sleep(50);
            }
            Row row = pool.preparedQuery("SELECT status FROM outbox_message WHERE id = $1")
                    .execute(Tuple.of(id))
                    .await()
                    .indefinitely()
                    .iterator()
                    .next();
            status = row.getString("status");
        }
        return status;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
