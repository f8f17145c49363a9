package org.villagehomepage.payments.webhook.ops;

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
import org.villagehomepage.payments.webhook.support.FakeServices;

/** The payment doctor finds a payment's stored events through an index, not by scanning every event ever stored. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
@QuarkusTestResource(FakeServices.class)
class EventLookupIndexTest {

    @Inject
    Pool pool;

    @Test
    void theEventsOfAPaymentAreFoundThroughAnIndex() {
        String plan = IndexPlans.withoutSeqScans(
                pool, WebhookEventQueries.FOR_OBJECTS, Tuple.of((Object) new String[] {"pi_a", "ch_a"}));

        assertThat(plan).contains("webhook_event_object").doesNotContain("Seq Scan on webhook_event");
    }
}
