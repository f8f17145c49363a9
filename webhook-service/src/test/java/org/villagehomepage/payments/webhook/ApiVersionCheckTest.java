package org.villagehomepage.payments.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.Stripe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.webhook.stripe.ApiVersionCheck;
import org.villagehomepage.payments.webhook.support.FakeServices;

/** The start-up warning about webhook endpoints whose API version is not the pinned one. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
@QuarkusTestResource(FakeServices.class)
class ApiVersionCheckTest {

    @Inject
    ApiVersionCheck check;

    @Test
    void namesEveryEndpointOfAnotherVersionAndOnlyThose() throws Throwable {
        StripeEmulatorResource.emulator().reset();
        String old = endpoint("2024-06-20");
        String pinned = endpoint(Stripe.API_VERSION);

        List<String> lines = VertxContextSupport.subscribeAndAwait(check::mismatches);

        assertThat(lines)
                .anySatisfy(line ->
                        assertThat(line).contains(old).contains("2024-06-20").contains(Stripe.API_VERSION));
        assertThat(lines).noneSatisfy(line -> assertThat(line).contains(pinned));
    }

    private static String endpoint(String version) {
        return given().baseUri(StripeEmulatorResource.emulator().apiBase())
                .header("Authorization", "Bearer " + StripeEmulatorResource.SECRET_KEY)
                .formParam("url", "https://example.test/webhooks/stripe")
                .formParam("enabled_events[]", "*")
                .formParam("api_version", version)
                .post("/v1/webhook_endpoints")
                .then()
                .statusCode(200)
                .extract()
                .path("id");
    }
}
