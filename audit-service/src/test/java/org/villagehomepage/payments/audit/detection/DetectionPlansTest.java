package org.villagehomepage.payments.audit.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
        OffsetDateTime to = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime from = to.minusHours(1);
        String thisMonths = thisMonthsCopyOf("audit_entry_unsuccessful");

        String webhookFailures =
                IndexPlans.withoutSeqScans(pool, DetectionService.WEBHOOK_FAILURES, Tuple.of(from, to));

        assertThat(webhookFailures).contains(thisMonths);
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

    /** The copy of a partitioned index on this month's partition (the one entries go to now): plans name those. */
    private String thisMonthsCopyOf(String index) {
        return pool.preparedQuery(
                        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                                + " JOIN pg_index x ON x.indexrelid = c.oid WHERE i.inhparent = to_regclass($1)"
                                + " AND x.indrelid = to_regclass('audit_entry_p' || to_char(now() AT TIME ZONE 'UTC', 'YYYYMM'))")
                .execute(Tuple.of(index))
                .map(rows -> rows.size() == 1 ? rows.iterator().next().getString(0) : "(no such index)")
                .await()
                .indefinitely();
    }
}
