package org.villagehomepage.payments.checkout.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

/**
 * checkout-service lets Postgres cache a generic plan for its keyed statements (plan_cache_mode=auto):
 * after its first custom plans, the admission query of every checkout runs without being planned
 * again. Counted by Postgres itself, per connection, in pg_prepared_statements.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class KeyedPlanTest {

    /** More than the five custom plans Postgres makes before it weighs a generic one. */
    private static final int EXECUTIONS = 8;

    @Inject
    Pool pool;

    @Test
    void theAdmissionQueryRunsItsCachedGenericPlan() {
        Row plans = pool.withConnection(connection -> Multi.createFrom()
                        .range(0, EXECUTIONS)
                        .onItem()
                        .transformToUniAndConcatenate(i ->
                                connection.preparedQuery(CheckoutGate.ADMISSION).execute(Tuple.of(UUID.randomUUID())))
                        .collect()
                        .last()
                        .chain(() -> connection
                                .preparedQuery("SELECT current_setting('plan_cache_mode') AS mode, generic_plans,"
                                        + " custom_plans FROM pg_prepared_statements WHERE statement = $1")
                                .execute(Tuple.of(CheckoutGate.ADMISSION)))
                        .map(rows -> rows.iterator().next()))
                .await()
                .indefinitely();

        assertThat(plans.getString("mode")).isEqualTo("auto");
        assertThat(plans.getLong("generic_plans")).isGreaterThan(0);
        assertThat(plans.getLong("generic_plans") + plans.getLong("custom_plans"))
                .isGreaterThanOrEqualTo(EXECUTIONS); // the connection may have served checkouts before
    }
}
