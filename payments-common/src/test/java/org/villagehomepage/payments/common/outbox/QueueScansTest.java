package org.villagehomepage.payments.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;

/**
 * The relay's claim stays cheap after many deliveries even where no vacuum has run (autovacuum off
 * or behind): it counts the pages the claim reads, not its time. Delivered messages leave dead
 * entries in the partial index of pending messages; a plain index scan marks them once, a bitmap
 * scan re-reads every delivered message's table page on every claim.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
class QueueScansTest {

    private static final int DELIVERED = 3000;

    @Inject
    Pool pool;

    @BeforeEach
    void clean() {
        pool.query("TRUNCATE outbox_message, processed_message")
                .execute()
                .await()
                .indefinitely();
    }

    @Test
    void aClaimAfterThousandsOfDeliveriesReadsTheIndexNotEveryDeliveredMessage() {
        // Stripe-event-sized payloads (~1.5 kB), so the delivered messages fill hundreds of table pages.
        pool.preparedQuery("""
                INSERT INTO outbox_message (id, destination, path, payload)
                SELECT gen_random_uuid(), 'nowhere', '/internal/none', repeat('x', 1500) FROM generate_series(1, $1)""").execute(Tuple.of(DELIVERED)).await().indefinitely();
        pool.query("UPDATE outbox_message SET status = 'delivered', delivered_at = now()")
                .execute()
                .await()
                .indefinitely();
        long tablePages = pool.query("SELECT pg_relation_size('outbox_message') / current_setting('block_size')::int")
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
        assertThat(tablePages).isGreaterThan(500);

        claimPlan(); // the first claim marks the dead entries as it passes them
        JsonObject plan = claimPlan();

        assertThat(plan.encode()).doesNotContain("Bitmap").contains("outbox_message_due");
        long pagesRead = plan.getLong("Shared Hit Blocks") + plan.getLong("Shared Read Blocks");
        assertThat(pagesRead).isLessThan(tablePages / 10);
    }

    /** The claim as the relay runs it, nothing due: its executed plan with the pages it read. */
    private JsonObject claimPlan() {
        return QueueScans.inTransaction(
                        pool,
                        connection -> connection
                                .preparedQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + OutboxRelay.CLAIM)
                                .execute(Tuple.of(30.0, 100, 2L * 1024 * 1024)))
                .map(rows -> {
                    Object value = rows.iterator().next().getValue(0);
                    JsonArray json = value instanceof JsonArray array ? array : new JsonArray(value.toString());
                    return json.getJsonObject(0).getJsonObject("Plan");
                })
                .await()
                .indefinitely();
    }
}
