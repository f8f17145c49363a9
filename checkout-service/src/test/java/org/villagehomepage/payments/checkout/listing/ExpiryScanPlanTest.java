package org.villagehomepage.payments.checkout.listing;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.outbox.QueueScans;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

/**
 * checkout-service caches generic plans for its keyed statements, but a queue scan (here the expiry
 * job's) is planned with its parameters at every execution: a generic plan made while the listing
 * table was small would outlive its growth where no ANALYZE invalidates it.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class ExpiryScanPlanTest {

    /** More than the five custom plans Postgres makes before it weighs a generic one. */
    private static final int EXECUTIONS = 8;

    @Inject
    Pool pool;

    @Test
    void theExpiryScanIsPlannedAtEveryExecution() {
        Row plans = QueueScans.inTransaction(
                        pool,
                        tx -> Multi.createFrom()
                                .range(0, EXECUTIONS)
                                .onItem()
                                .transformToUniAndConcatenate(
                                        i -> ListingRows.lockExpired(tx, OffsetDateTime.now(), 10))
                                .collect()
                                .last()
                                .chain(() -> tx.preparedQuery(
                                                "SELECT current_setting('plan_cache_mode') AS mode, generic_plans,"
                                                        + " custom_plans FROM pg_prepared_statements WHERE statement = $1")
                                        .execute(Tuple.of(ListingRows.LOCK_EXPIRED)))
                                .map(rows -> rows.iterator().next()))
                .await()
                .indefinitely();

        assertThat(plans.getString("mode")).isEqualTo("force_custom_plan");
        assertThat(plans.getLong("generic_plans")).isZero();
        assertThat(plans.getLong("custom_plans")).isGreaterThanOrEqualTo(EXECUTIONS);
    }
}
