package org.villagehomepage.payments.webhook;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.PreparedPlans;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.webhook.ops.WebhookEventQueries;
import org.villagehomepage.payments.webhook.retention.PayloadRedaction;

/**
 * Issue 14: webhook-service caches generic plans of its keyed statements (plan_cache_mode=auto), but
 * the redaction sweep and the ops list with its optional filters are planned with their parameters
 * at every run. Counted by Postgres on the one connection.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
@TestProfile(PreparedPlans.SingleConnection.class)
class ScanPlansTest {

    @Inject
    PayloadRedaction redaction;

    @Inject
    WebhookEventQueries queries;

    @Inject
    Pool pool;

    @Test
    void theRedactionSweepAndTheEventListArePlannedAtEveryRun() {
        for (int i = 0; i < PreparedPlans.EXECUTIONS; i++) {
            redaction.runOnce().await().indefinitely();
            queries.list(
                            i % 2 == 0 ? "received" : null,
                            null,
                            OffsetDateTime.now().minusDays(1),
                            0,
                            10)
                    .await()
                    .indefinitely();
        }

        PreparedPlans.assertPlannedEveryTime(
                pool, "SELECT event_id, payload FROM webhook_event WHERE redacted_at IS NULL%", "%OFFSET $4 LIMIT $5");
    }
}
