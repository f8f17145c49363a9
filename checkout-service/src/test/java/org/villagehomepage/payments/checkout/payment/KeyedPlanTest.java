package org.villagehomepage.payments.checkout.payment;

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
 * checkout-service lets Postgres cache a generic plan for its keyed statements (plan_cache_mode=auto):
 * after its first custom plans, the admission query of every checkout runs without being planned
 * again. Counted by Postgres itself, per connection, in pg_prepared_statements.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class KeyedPlanTest {

    @Inject
    Pool pool;

    @Test
    void theAdmissionQueryRunsItsCachedGenericPlan() {
        PreparedPlans.Count plans = PreparedPlans.onOneConnection(
                pool,
                CheckoutGate.ADMISSION,
                connection -> connection.preparedQuery(CheckoutGate.ADMISSION).execute(Tuple.of(UUID.randomUUID())));

        assertThat(plans.mode()).isEqualTo("auto");
        assertThat(plans.generic()).isGreaterThan(0);
        assertThat(plans.generic() + plans.custom())
                .isGreaterThanOrEqualTo(PreparedPlans.EXECUTIONS); // the connection may have served checkouts before
    }
}
