package org.villagehomepage.payments.audit.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.villagehomepage.payments.audit.AuditApi.event;
import static org.villagehomepage.payments.audit.AuditApi.post;
import static org.villagehomepage.payments.audit.AuditApi.with;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.PreparedPlans;

/**
 * A burst that fires a rule for many subjects is stored in one statement per run, not one per
 * subject (a checkout burst made thousands of findings' statements in a run). Counted by Postgres on
 * the one pooled connection: each execution of a prepared statement is one plan in
 * pg_prepared_statements.
 */
@QuarkusTest
@TestProfile(PreparedPlans.SingleConnection.class)
@QuarkusTestResource(JwtKeysResource.class)
class DetectionBatchTest {

    private static final int USERS = 30;

    @Inject
    DetectionService detection;

    @Inject
    Pool pool;

    @Test
    void aBurstOfFindingsIsStoredInOneStatement() {
        Instant at = Instant.now().minus(50, ChronoUnit.DAYS);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int user = 0; user < USERS; user++) {
            String actor = UUID.randomUUID().toString();
            for (int attempt = 0; attempt < 6; attempt++) {
                Map<String, Object> e =
                        with(event("checkout.attempted", "success"), "actorType", "user", "actorId", actor);
                e.put("occurredAt", at.minusSeconds(attempt).toString());
                events.add(e);
            }
        }
        post(events).statusCode(200);
        long before = executions();

        List<Finding> findings = detection.run(at.plusSeconds(1)).await().indefinitely();
        List<Finding> again = detection.run(at.plusSeconds(2)).await().indefinitely();

        assertThat(findings)
                .filteredOn(f -> f.rule().equals("checkout_velocity"))
                .hasSize(USERS);
        assertThat(again).isEmpty();
        assertThat(executions() - before).isEqualTo(2); // one per run
    }

    private long executions() {
        PreparedPlans.Count plans = PreparedPlans.matching(pool, "INSERT INTO finding%");
        return plans.generic() + plans.custom();
    }
}
