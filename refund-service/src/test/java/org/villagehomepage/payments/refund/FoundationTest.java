package org.villagehomepage.payments.refund;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.refund.request.RefundReason;

@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class FoundationTest {

    @Test
    void readyMetricsOpenApiAndProblems() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
        given().get("/nope").then().statusCode(404).contentType("application/problem+json");
        given().get("/admin/api/outbox/dead").then().statusCode(401).contentType("application/problem+json");
    }

    /** Every refund row of docs/metrics.md is exported from startup (alerts on absent series stay silent otherwise). */
    @Test
    void everyRefundSeriesIsExported() {
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (RefundReason reason : RefundReason.values()) {
            for (String name : List.of(
                    "homepage_refunds_processed_total",
                    "homepage_refunds_requested_total",
                    "homepage_refunds_failed_total",
                    "homepage_refunds_outcome_unknown_total")) {
                assertThat(metrics).contains(name + "{reason=\"" + reason.wire() + "\"}");
            }
        }
        assertThat(metrics)
                .contains("homepage_refunds_pending ", "homepage_chargebacks_total ", "homepage_user_bans_total ");
    }
}
