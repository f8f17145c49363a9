package org.villagehomepage.payments.audit.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.IndexPlans;
import org.villagehomepage.payments.common.testing.JwtKeysResource;

/**
 * Detection's cost does not grow with the traffic of its windows where it need not: the webhook
 * failures are read from the partial index of unsuccessful entries (the checkout failure rule's
 * predicate is the same; on this empty table Postgres prefers the actor index for its grouping), and a
 * run never takes more than one core.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
class DetectionPlansTest {

    @Inject
    Pool pool;

    @Test
    void theWebhookFailuresAreReadFromTheUnsuccessfulEntriesOnly() {
        List<String> unsuccessful = partitionIndexesOf("audit_entry_unsuccessful");
        OffsetDateTime to = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime from = to.minusHours(1);

        String checkoutFailures = IndexPlans.withoutSeqScans(
                pool, DetectionService.CHECKOUT_FAILURES, Tuple.of(from, to, new String[] {"checkout"}, 3L));
        String webhookFailures =
                IndexPlans.withoutSeqScans(pool, DetectionService.WEBHOOK_FAILURES, Tuple.of(from, to));

        assertThat(unsuccessful).isNotEmpty();
        assertThat(webhookFailures).containsAnyOf(unsuccessful.toArray(String[]::new));
    }

    @Test
    void aRunTakesNoParallelWorkers() {
        String workers = pool.withTransaction(tx -> tx.preparedQuery(DetectionService.CLAIM)
                        .execute(Tuple.of(DetectionService.DETECTION_LOCK))
                        .chain(() -> tx.query("SELECT current_setting('max_parallel_workers_per_gather') AS workers")
                                .execute())
                        .map(rows -> rows.iterator().next().getString("workers")))
                .await()
                .indefinitely();

        assertThat(workers).isEqualTo("0");
    }

    /** The partitions' own copies of a partitioned index: plans name those. */
    private List<String> partitionIndexesOf(String index) {
        return pool.preparedQuery("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                        + " WHERE i.inhparent = to_regclass($1)")
                .execute(Tuple.of(index))
                .map(rows -> {
                    List<String> names = new ArrayList<>();
                    for (Row row : rows) {
                        names.add(row.getString(0));
                    }
                    return names;
                })
                .await()
                .indefinitely();
    }
}
