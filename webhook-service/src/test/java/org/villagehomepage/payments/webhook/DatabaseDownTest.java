package org.villagehomepage.payments.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.webhook.support.Events;
import org.villagehomepage.payments.webhook.support.FakeServices;
import org.villagehomepage.payments.webhook.support.Signer;

/** With Postgres unreachable a verified event is never acknowledged, and readiness is down. */
@QuarkusTest
@TestProfile(DatabaseDownTest.NoDatabase.class)
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
@QuarkusTestResource(FakeServices.class)
class DatabaseDownTest {

    public static class NoDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Port 1: nothing listens, connections are refused at once.
            return Map.of(
                    "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:1/nowhere",
                    "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:1/nowhere",
                    "quarkus.flyway.migrate-at-start", "false",
                    "quarkus.flyway.clean-at-start", "false");
        }
    }

    @Test
    void aVerifiedEventIsAnswered503SoStripeRetries() {
        String payload = Events.paymentSucceeded(Events.newId());
        given().contentType("application/json")
                .header("Stripe-Signature", Signer.header(payload))
                .body(payload)
                .post("/webhooks/stripe")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5");
    }

    @Test
    void readinessIsDown() {
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        given().get("/q/health/live").then().statusCode(200);
    }
}
