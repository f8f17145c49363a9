package org.villagehomepage.payments.common.outbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.TestReceiver;
import org.villagehomepage.payments.common.testing.JwtKeysResource;

/** Ops read a receiver outage per destination: dead messages, retries and backlog age. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
class OutboxMetricsTest {

    @Inject
    OutboxRelay relay;

    @Inject
    OutboxMaintenance maintenance;

    @Inject
    Pool pool;

    @Inject
    TestReceiver receiver;

    @BeforeEach
    void clean() {
        pool.query("TRUNCATE outbox_message, processed_message")
                .execute()
                .await()
                .indefinitely();
        receiver.reset();
    }

    @Test
    void everyConfiguredDestinationIsExportedFromStart() {
        maintenance.refreshGauges().await().indefinitely();
        String metrics = metrics();
        for (String destination : new String[] {"test", "down"}) {
            assertThat(metrics)
                    .contains("homepage_outbox_dead_messages{destination=\"" + destination + "\"} 0.0")
                    .contains("homepage_outbox_pending_messages{destination=\"" + destination + "\"} 0.0")
                    .contains("homepage_outbox_lag_seconds{destination=\"" + destination + "\"} 0.0")
                    .contains("homepage_outbox_delivery_attempts_total{destination=\"" + destination
                            + "\",outcome=\"retry\"}");
        }
    }

    @Test
    void deadMessagesRetriesAndBacklogAgeArePerDestination() {
        insert("down", 3600, "pending"); // a receiver down for an hour
        insert("down", 60, "pending");
        insert("test", 7200, "dead");
        double retriesBefore = counter("down", "retry");

        relay.relayDue().await().indefinitely();
        maintenance.refreshGauges().await().indefinitely();

        String metrics = metrics();
        assertThat(metrics)
                .contains("homepage_outbox_pending_messages{destination=\"down\"} 2.0")
                .contains("homepage_outbox_dead_messages{destination=\"test\"} 1.0")
                .contains("homepage_outbox_dead_messages{destination=\"down\"} 0.0")
                .contains("homepage_outbox_pending_messages{destination=\"test\"} 0.0");
        assertThat(gauge(metrics, "homepage_outbox_lag_seconds{destination=\"down\"}"))
                .isBetween(3600.0, 3700.0);
        assertThat(counter("down", "retry") - retriesBefore).isEqualTo(2.0);
    }

    private void insert(String destination, int ageSeconds, String status) {
        pool.preparedQuery("""
                INSERT INTO outbox_message (id, destination, path, payload, status, created_at)
                VALUES ($1, $2, '/internal/test-receiver/messages', '{}', $3, now() - make_interval(secs => $4))""")
                .execute(Tuple.of(UUID.randomUUID(), destination, status, (double) ageSeconds))
                .await()
                .indefinitely();
    }

    private double counter(String destination, String outcome) {
        return gauge(
                metrics(),
                "homepage_outbox_delivery_attempts_total{destination=\"" + destination + "\",outcome=\"" + outcome
                        + "\"}");
    }

    private static double gauge(String metrics, String series) {
        return metrics.lines()
                .filter(l -> l.startsWith(series + " "))
                .findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
                .orElse(Double.NaN);
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
