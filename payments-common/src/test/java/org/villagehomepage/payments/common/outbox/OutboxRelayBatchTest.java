package org.villagehomepage.payments.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.TestReceiver;
import org.villagehomepage.payments.common.testing.JwtKeysResource;

/**
 * Issue 14: a cycle records the outcomes of all it sent in one statement, each row as it would have
 * been recorded alone, and only under the claim that sent it. Production relay settings.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
class OutboxRelayBatchTest {

    private static final String RECEIVER = "/internal/test-receiver/messages";

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
        sql("TRUNCATE outbox_message, processed_message");
        receiver.reset();
        // counts the UPDATE statements run on the outbox, whatever their number of rows
        sql("CREATE TABLE IF NOT EXISTS outbox_update_count (n bigint NOT NULL)");
        sql("TRUNCATE outbox_update_count");
        sql("INSERT INTO outbox_update_count VALUES (0)");
        sql("""
                CREATE OR REPLACE FUNCTION outbox_update_counted() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN UPDATE outbox_update_count SET n = n + 1; RETURN NULL; END $$""");
        sql("""
                CREATE OR REPLACE TRIGGER outbox_update_counted AFTER UPDATE ON outbox_message
                FOR EACH STATEMENT EXECUTE FUNCTION outbox_update_counted()""");
    }

    @AfterEach
    void dropCounter() {
        sql("DROP TRIGGER IF EXISTS outbox_update_counted ON outbox_message");
    }

    @Test
    void aBatchWithMixedOutcomesRecordsEachRowAsItsOwnOutcome() {
        UUID delivered = insert("test");
        UUID unavailable = insert("test");
        UUID refused = insert("test");
        UUID down = insert("down");
        UUID unknown = insert("nowhere");
        receiver.statusFor.put(unavailable.toString(), 503);
        receiver.statusFor.put(refused.toString(), 404);

        assertThat(relay.relayDue().await().indefinitely()).isEqualTo(5);

        Row ok = row(delivered);
        assertThat(ok.getString("status")).isEqualTo("delivered");
        assertThat(ok.getInteger("attempts")).isEqualTo(1);
        assertThat(ok.getOffsetDateTime("delivered_at")).isNotNull();
        assertThat(ok.getString("last_error")).isNull();
        assertThat(receiver.applied.get(delivered.toString())).hasValue(1);

        Row retry = row(unavailable);
        assertThat(retry.getString("status")).isEqualTo("pending");
        assertThat(retry.getInteger("attempts")).isEqualTo(1);
        assertThat(retry.getString("last_error")).isEqualTo("HTTP 503");
        assertThat(retry.getDouble("due_after_created"))
                .as("due again after at least half the first backoff step")
                .isGreaterThanOrEqualTo(settings.relay().baseBackoff().toMillis() / 2000.0);
        assertThat(retry.getOffsetDateTime("delivered_at")).isNull();

        Row dead = row(refused);
        assertThat(dead.getString("status")).as("a permanent answer").isEqualTo("dead");
        assertThat(dead.getInteger("attempts")).isEqualTo(1);
        assertThat(dead.getString("last_error")).isEqualTo("HTTP 404");
        assertThat(receiver.applied).doesNotContainKeys(unavailable.toString(), refused.toString());

        for (UUID transientFailure : List.of(down, unknown)) {
            Row row = row(transientFailure);
            assertThat(row.getString("status")).isEqualTo("pending");
            assertThat(row.getInteger("attempts")).isEqualTo(1);
            assertThat(row.getString("last_error")).isNotNull();
        }
        assertThat(count("SELECT count(*) FROM outbox_message WHERE claimed_until IS NOT NULL"))
                .as("every claim given up")
                .isZero();
        assertThat(updates())
                .as("the claim and one statement for every outcome")
                .isEqualTo(2);
    }

    @Test
    void aFullBatchIsClaimedAndRecordedInTwoStatements() {
        int batch = settings.relay().batchSize();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            ids.add(insert("test"));
        }

        assertThat(relay.relayDue().await().indefinitely()).isEqualTo(batch);

        assertThat(updates()).isEqualTo(2);
        for (UUID id : ids) {
            assertThat(row(id).getString("status")).isEqualTo("delivered");
            assertThat(receiver.deliveries.get(id.toString())).hasValue(1);
        }
    }

    @Test
    void anOutcomeIsNotRecordedOnARowClaimedAgainMeanwhile() {
        UUID held = insert("test");
        UUID other = insert("test");
        CompletableFuture<Void> answer = new CompletableFuture<>();
        receiver.holdUntil.put(held.toString(), answer);

        CompletableFuture<Integer> cycle = relay.relayDue().subscribeAsCompletionStage();
        for (int i = 0; i < 400 && !receiver.deliveries.containsKey(held.toString()); i++) {
            sleep(50);
        }
        assertThat(receiver.deliveries).containsKey(held.toString());
        // as if this claim's lease had run out and another relay had claimed the row
        pool.preparedQuery("UPDATE outbox_message SET claimed_until = claimed_until + interval '1 hour' WHERE id = $1")
                .execute(Tuple.of(held))
                .await()
                .indefinitely();
        answer.complete(null);
        assertThat(cycle.join()).isEqualTo(2);

        Row stolen = row(held);
        assertThat(stolen.getString("status")).isEqualTo("pending");
        assertThat(stolen.getInteger("attempts"))
                .as("the other claim records its own send")
                .isZero();
        assertThat(stolen.getOffsetDateTime("claimed_until")).isNotNull();
        assertThat(row(other).getString("status")).isEqualTo("delivered");
    }

    private long updates() {
        return count("SELECT n FROM outbox_update_count");
    }

    private UUID insert(String destination) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO outbox_message (id, destination, path, payload) VALUES ($1, $2, $3, '{}')")
                .execute(Tuple.of(id, destination, RECEIVER))
                .await()
                .indefinitely();
        return id;
    }

    private Row row(UUID id) {
        return pool.preparedQuery("""
                SELECT status, attempts, last_error, delivered_at, claimed_until,
                    extract(epoch FROM available_at - created_at)::float8 AS due_after_created
                FROM outbox_message WHERE id = $1""")
                .execute(Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next();
    }

    private long count(String sql) {
        return pool.query(sql)
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    private void sql(String sql) {
        pool.query(sql).execute().await().indefinitely();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
