package org.villagehomepage.payments.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.TestReceiver;
import org.villagehomepage.payments.common.testing.JwtKeysResource;

/** Issue 13.5: a claim outlives its delivery, so two relays never send the same row. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@TestProfile(OutboxTestProfiles.ShortLease.class)
class OutboxRelayLeaseTest {

    @Inject
    OutboxRelay relay;

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
    void aSlowReceiverNeverGetsTheSameRowFromTwoRelays() {
        receiver.delayMillis.set(500);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) { // one batch of the old relay: the second replica is idle when its lease runs out
            UUID id = UUID.randomUUID();
            pool.preparedQuery(
                            "INSERT INTO outbox_message (id, destination, path, payload) VALUES ($1, 'test', '/internal/test-receiver/messages', '{}')")
                    .execute(Tuple.of(id))
                    .await()
                    .indefinitely();
            ids.add(id);
        }

        ExecutorService replicas = Executors.newFixedThreadPool(2);
        CompletableFuture<Void> a = CompletableFuture.runAsync(this::relayUntilNothingPending, replicas);
        CompletableFuture<Void> b = CompletableFuture.runAsync(this::relayUntilNothingPending, replicas);
        a.join();
        b.join();
        replicas.shutdown();

        assertThat(pending()).isZero();
        for (UUID id : ids) {
            // every send that reached the receiver is an attempt recorded under its own claim: a row
            // sent by a second relay after the first one's lease ran out has a send whose outcome was
            // never recorded. A retry after a timeout on a loaded machine is a recorded attempt, and
            // allowed; its request may have been cut before the receiver read it (both replicas
            // here share one client pool of batch-size connections), so attempts may exceed arrivals.
            int attempts = pool.preparedQuery("SELECT attempts FROM outbox_message WHERE id = $1")
                    .execute(Tuple.of(id))
                    .await()
                    .indefinitely()
                    .iterator()
                    .next()
                    .getInteger("attempts");
            assertThat(receiver.deliveries.get(id.toString()).get())
                    .as("deliveries of %s", id)
                    .isPositive()
                    .isLessThanOrEqualTo(attempts);
        }
        assertThat(receiver.maxInFlightSameMessage).hasValue(1);
    }

    /** One relay replica: claims and delivers until nothing is left (bounded). */
    private void relayUntilNothingPending() {
        for (int round = 0; round < 400 && pending() > 0; round++) {
            if (relay.relayDue().await().indefinitely() == 0) {
                sleep(); // everything left is claimed by the other replica
            }
        }
    }

    private long pending() {
        return pool.query("SELECT count(*) FROM outbox_message WHERE status = 'pending'")
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
