package org.villagehomepage.payments.refund.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

/**
 * Issue 14: refund-service lets Postgres cache generic plans of its keyed statements
 * (plan_cache_mode=auto), counted by Postgres per connection in pg_prepared_statements (its scans:
 * ScanPlansTest).
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class PlanCacheTest {

    /** More than the five custom plans Postgres makes before it weighs a generic one. */
    private static final int EXECUTIONS = 8;

    @Inject
    Pool pool;

    @Test
    void thePaymentLookupOfEveryEventRunsItsCachedGenericPlan() {
        Row plans = pool.withConnection(connection -> Multi.createFrom()
                        .range(0, EXECUTIONS)
                        .onItem()
                        .transformToUniAndConcatenate(i ->
                                connection.preparedQuery(PaymentDirectory.FIND).execute(Tuple.of("pi_plan_" + i)))
                        .collect()
                        .last()
                        .chain(() -> connection
                                .preparedQuery("SELECT current_setting('plan_cache_mode') AS mode, generic_plans,"
                                        + " custom_plans FROM pg_prepared_statements WHERE statement = $1")
                                .execute(Tuple.of(PaymentDirectory.FIND)))
                        .map(rows -> rows.iterator().next()))
                .await()
                .indefinitely();

        assertThat(plans.getString("mode")).isEqualTo("auto");
        assertThat(plans.getLong("generic_plans")).isGreaterThan(0);
        assertThat(plans.getLong("generic_plans") + plans.getLong("custom_plans"))
                .isGreaterThanOrEqualTo(EXECUTIONS); // the connection may have served events before
    }
}
