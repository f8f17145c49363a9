package org.villagehomepage.payments.checkout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.emulator.FaultSettings.EndpointFault;

/** While Stripe is down, checkout answers a clear 503 without calling it, and recovers by itself. */
@QuarkusTest
@TestProfile(StripeCircuitTest.SmallWindow.class)
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class StripeCircuitTest extends CheckoutTestBase {

    private static final String CREATE = "POST /v1/payment_intents";
    private static final String BREAKER =
            "org.villagehomepage.payments.common.stripe.StripeGuard/guarded/CircuitBreaker/";

    public static class SmallWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    BREAKER + "requestVolumeThreshold",
                    "4",
                    BREAKER + "delay",
                    "10000",
                    BREAKER + "delayUnit",
                    "MILLIS",
                    "stripe.max-attempts",
                    "2");
        }
    }

    @AfterEach
    void clearFaults() {
        StripeEmulatorResource.emulator().faults().clear();
    }

    @Test
    void anOutageOpensTheCircuitCallersGet503WithoutAStripeCallAndItClosesWhenStripeIsBack() {
        UUID user = UUID.randomUUID();
        StripeEmulatorResource.emulator().faults().endpoint(CREATE, new EndpointFault(0, 1.0, 0, 0, 0, 0));
        for (int i = 0; i < 4; i++) { // Stripe's own 5xx, after the retries: 502, counted by the breaker
            checkout(user, createListing(user, HOUSING)).then().statusCode(502);
        }

        UUID whileOpen = createListing(user, HOUSING);
        StripeEmulatorResource.emulator().faults().clear(); // Stripe is back, but the breaker has not tried yet
        checkout(user, whileOpen)
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "10")
                .body("type", equalTo("urn:problem:payments:payment-provider-unavailable"));
        assertThat(intentsAtStripeFor(whileOpen))
                .as("no call reached Stripe while the circuit was open")
                .isZero();
        given().get("/q/metrics").then().statusCode(200).body(containsString("ft_circuitbreaker_opened_total"));

        long deadline = System.currentTimeMillis() + 60_000; // the breaker half-opens after its delay
        int status;
        do {
            status = checkout(user, whileOpen).statusCode();
        } while (status == 503 && System.currentTimeMillis() < deadline && pause());
        assertThat(status).isEqualTo(200);
        assertThat(intentsAtStripeFor(whileOpen)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM payment WHERE listing_id = $1", whileOpen))
                .isEqualTo(1);
    }

    private static boolean pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private static long intentsAtStripeFor(UUID listing) {
        String body = given().header("Authorization", "Bearer " + StripeEmulatorResource.SECRET_KEY)
                .get(StripeEmulatorResource.emulator().apiBase() + "/v1/payment_intents?limit=100")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return body.split("\"listing_id\"\\s*:\\s*\"" + listing + "\"", -1).length - 1L;
    }
}
