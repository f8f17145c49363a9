package org.villagehomepage.payments.refund.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.PreparedPlans;
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

    @Inject
    Pool pool;

    @Test
    void thePaymentLookupOfEveryEventRunsItsCachedGenericPlan() {
        PreparedPlans.Count plans = PreparedPlans.onOneConnection(
                pool,
                PaymentDirectory.FIND,
                connection -> connection
                        .preparedQuery(PaymentDirectory.FIND)
                        .execute(Tuple.of("pi_plan_" + UUID.randomUUID())));

        assertThat(plans.mode()).isEqualTo("auto");
        assertThat(plans.generic()).isGreaterThan(0);
        assertThat(plans.generic() + plans.custom())
                .isGreaterThanOrEqualTo(PreparedPlans.EXECUTIONS); // the connection may have served events before
    }
}
