package org.villagehomepage.payments.refund.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.IndexPlans;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

/**
 * The ledger amounts of up to 50,000 intents run one sub-select per intent on refund_request and on
 * chargeback: each goes through an index on payment_intent_id, none scans its table.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class LedgerAmountsIndexTest {

    @Inject
    Pool pool;

    @Test
    void eachIntentsRefundsAndChargebacksAreFoundThroughAnIndex() {
        String plan = IndexPlans.withoutSeqScans(
                pool, LedgerAmountsResource.AMOUNTS, Tuple.of((Object) new String[] {"pi_a", "pi_b"}));

        assertThat(plan)
                .contains("refund_request_payment", "chargeback_intent")
                .doesNotContain("Seq Scan on refund_request", "Seq Scan on chargeback");
    }
}
