package org.villagehomepage.payments.checkout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

/** Every checkout row of docs/metrics.md is exported, for every known label value (alerts and CI rely on it). */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class MetricsExportTest {

    private static final List<String> TYPES = List.of("posting_fee", "promotion_featured", "promotion_bump");

    @Test
    void everyCheckoutSeriesOfTheMetricsContractIsExported() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String type : TYPES) {
            String label = "type=\"" + type + "\"";
            for (String name : List.of(
                    "homepage_payments_intents_created_total",
                    "homepage_payments_succeeded_total",
                    "homepage_payments_failed_total",
                    "homepage_payments_amount_mismatch_total")) {
                assertThat(series(text, name, label)).as(name + " " + label).isTrue();
            }
            assertThat(series(text, "homepage_payments_revenue_cents_total", label, "currency=\"usd\""))
                    .isTrue();
            for (String outcome : List.of("success", "failure", "denied")) {
                assertThat(series(
                                text, "homepage_checkout_duration_seconds_count", label, "outcome=\"" + outcome + "\""))
                        .as("duration " + type + " " + outcome)
                        .isTrue();
                assertThat(series(
                                text,
                                "homepage_checkout_duration_seconds_bucket",
                                label,
                                "outcome=\"" + outcome + "\""))
                        .isTrue();
            }
        }
        for (String reason : List.of("banned", "rate_limited", "origin")) {
            assertThat(series(text, "homepage_checkout_denied_total", "reason=\"" + reason + "\""))
                    .as(reason)
                    .isTrue();
        }
    }

    private static boolean series(String text, String name, String... labels) {
        return text.lines()
                .filter(line -> line.startsWith(name + "{"))
                .anyMatch(line -> List.of(labels).stream().allMatch(line::contains));
    }
}
