package org.villagehomepage.payments.common.outbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.PreparedPlans;
import org.villagehomepage.payments.common.testing.Tokens;

/**
 * Issue 14: where a service lets Postgres cache generic plans (plan_cache_mode=auto), the relay's
 * claim, the record of its outcomes and the dead-message list are still planned with their
 * parameters at every execution: a generic plan made while the outbox was small would outlive its
 * growth where no ANALYZE invalidates it. A keyed statement on the same connection shows the
 * connection does cache generic plans.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@TestProfile(PreparedPlans.SingleConnection.class)
class RelayPlansTest {

    private static final String INSERT =
            "INSERT INTO outbox_message (id, destination, path, payload) VALUES ($1, 'test', $2, '{}')";

    @Inject
    OutboxRelay relay;

    @Inject
    Pool pool;

    @BeforeEach
    void clean() {
        pool.query("TRUNCATE outbox_message, processed_message")
                .execute()
                .await()
                .indefinitely();
    }

    @Test
    void theRelaysStatementsArePlannedAtEveryExecutionWhileAKeyedOneIsCached() {
        for (int i = 0; i < PreparedPlans.EXECUTIONS; i++) {
            pool.preparedQuery(INSERT)
                    .execute(Tuple.of(UUID.randomUUID(), "/internal/test-receiver/messages"))
                    .await()
                    .indefinitely();
            // the message, and from the second cycle on the audit message of the last admin read
            assertThat(relay.relayDue().await().indefinitely()).isPositive();
            given().header("Authorization", Tokens.admin())
                    .queryParam("offset", 10)
                    .get("/admin/api/outbox/dead")
                    .then()
                    .statusCode(200);
        }

        assertThat(PreparedPlans.matching(pool, INSERT).generic()).as("keyed").isPositive();
        PreparedPlans.assertPlannedEveryTime(
                pool,
                "UPDATE outbox_message m SET claimed_until%", // the claim
                "UPDATE outbox_message m SET%status = CASE o.outcome%", // the outcomes' record
                "%WHERE status = 'dead' ORDER BY created_at, id OFFSET%"); // the dead list
    }
}
