package org.villagehomepage.payments.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.TestReceiver;
import org.villagehomepage.payments.common.testing.JwtKeysResource;

/** The relay as it runs in production: on its own timer, with nobody calling it. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@TestProfile(OutboxTestProfiles.RelayOn.class)
class OutboxRelayTimerTest {

    @Inject
    Pool pool;

    @Inject
    TestReceiver receiver;

    @Test
    void deliversCommittedMessagesByItself() throws InterruptedException {
        UUID id = UUID.randomUUID();
        pool.preparedQuery(
                        "INSERT INTO outbox_message (id, destination, path, payload) VALUES ($1, 'test', '/internal/test-receiver/messages', '{}')")
                .execute(Tuple.of(id))
                .await()
                .indefinitely();

        String status = "pending";
        for (int i = 0; i < 100 && !"delivered".equals(status); i++) {
            Thread.sleep(100);
            status = pool.preparedQuery("SELECT status FROM outbox_message WHERE id = $1")
                    .execute(Tuple.of(id))
                    .await()
                    .indefinitely()
                    .iterator()
                    .next()
                    .getString("status");
        }
        assertThat(status).isEqualTo("delivered");
        assertThat(receiver.applied.get(id.toString())).hasValue(1);
    }

    @Test
    void drainsABacklogLargerThanOneBatch() throws InterruptedException {
        for (int i = 0; i < 180; i++) {
            pool.preparedQuery(
                            "INSERT INTO outbox_message (id, destination, path, payload) VALUES ($1, 'test', '/internal/test-receiver/messages', '{}')")
                    .execute(Tuple.of(UUID.randomUUID()))
                    .await()
                    .indefinitely();
        }
        long pending = 1;
        for (int i = 0; i < 200 && pending > 0; i++) {
            Thread.sleep(100);
            pending = pool.query("SELECT count(*) FROM outbox_message WHERE status = 'pending'")
                    .execute()
                    .await()
                    .indefinitely()
                    .iterator()
                    .next()
                    .getLong(0);
        }
        assertThat(pending).isZero();
    }
}
