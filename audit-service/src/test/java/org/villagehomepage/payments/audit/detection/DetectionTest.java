package org.villagehomepage.payments.audit.detection;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.villagehomepage.payments.audit.AuditApi.event;
import static org.villagehomepage.payments.audit.AuditApi.post;
import static org.villagehomepage.payments.audit.AuditApi.with;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.audit.AuditApi;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.Tokens;

/**
 * Each rule on synthetic activity: just over its threshold it fires, at the threshold it stays
 * silent. Per-subject rules run now over HTTP with fresh subjects; the global rate rules are
 * evaluated at instants of their own in the past, so other tests' activity cannot mix in.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
class DetectionTest {

    @Inject
    DetectionService detection;

    private static List<Map<String, Object>> times(
            int n, String action, String outcome, Instant at, Object... keyValues) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> event = with(event(action, outcome), keyValues);
            event.put("occurredAt", at.minusSeconds(i).toString());
            events.add(event);
        }
        return events;
    }

    private static Instant recently() {
        return Instant.now().minusSeconds(60);
    }

    private static JsonPath runNow() {
        return given().header("Authorization", Tokens.admin())
                .post("/admin/api/audit/detection/run")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static List<String> subjectsOf(JsonPath findings, String rule) {
        return findings.getList("findings.findAll { it.rule == '" + rule + "' }.subject", String.class);
    }

    @Test
    void moreThanFiveCheckoutAttemptsInTenMinutesFireOnceAndFiveDoNot() {
        String busy = UUID.randomUUID().toString();
        String normal = UUID.randomUUID().toString();
        double before = AuditApi.metric("homepage_audit_findings_total{rule=\"checkout_velocity\"}");
        List<Map<String, Object>> events = new ArrayList<>();
        events.addAll(times(4, "checkout.attempted", "success", recently(), "actorType", "user", "actorId", busy));
        events.addAll(times(2, "promotion.attempted", "success", recently(), "actorType", "user", "actorId", busy));
        events.addAll(times(5, "checkout.attempted", "success", recently(), "actorType", "user", "actorId", normal));
        // Attempts long before the window do not count.
        events.addAll(times(
                3,
                "checkout.attempted",
                "success",
                Instant.now().minus(2, ChronoUnit.HOURS),
                "actorType",
                "user",
                "actorId",
                normal));
        post(events).statusCode(200);

        JsonPath first = runNow();
        JsonPath second = runNow();

        List<Map<String, Object>> fired = first.getList("findAll { it.subject == '" + busy + "' }");
        assertThat(fired).hasSize(1);
        assertThat(fired.get(0))
                .containsEntry("rule", "checkout_velocity")
                .containsEntry("observed", 6)
                .containsEntry("threshold", 5);
        assertThat(second.getList("findAll { it.subject == '" + busy + "' }")).isEmpty();
        JsonPath listed = given().header("Authorization", Tokens.admin())
                .queryParam("rule", "checkout_velocity")
                .queryParam("size", 1000)
                .get("/admin/api/audit/findings")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(subjectsOf(listed, "checkout_velocity"))
                .containsOnlyOnce(busy)
                .doesNotContain(normal);
        assertThat(AuditApi.metric("homepage_audit_findings_total{rule=\"checkout_velocity\"}") - before)
                .isEqualTo(1.0);
    }

    @Test
    void moreThanThreeFailuresInTenMinutesFireAndThreeDoNot() {
        String failing = UUID.randomUUID().toString();
        String normal = UUID.randomUUID().toString();
        List<Map<String, Object>> events = new ArrayList<>();
        events.addAll(times(2, "checkout.failed", "failure", recently(), "actorType", "user", "actorId", failing));
        events.addAll(times(2, "checkout.denied", "denied", recently(), "actorType", "user", "actorId", failing));
        events.addAll(times(3, "checkout.failed", "failure", recently(), "actorType", "user", "actorId", normal));
        events.addAll(times(3, "checkout.succeeded", "success", recently(), "actorType", "user", "actorId", normal));
        // Failures outside checkout do not count.
        events.addAll(times(3, "refund.failed", "failure", recently(), "actorType", "user", "actorId", normal));
        post(events).statusCode(200);

        JsonPath findings = runNow();

        assertThat(findings.getList("findAll { it.rule == 'checkout_failures' }.subject", String.class))
                .contains(failing)
                .doesNotContain(normal);
        assertThat(findings.getList("findAll { it.subject == '" + failing + "' }.rule", String.class))
                .containsExactly("checkout_failures");
    }

    @Test
    void repeatedSignatureFailuresFromOneSourceFire() {
        String attacker = "198.51.100." + (1 + (int) (Math.random() * 250));
        String rotating = "2001:db8::" + Integer.toHexString((int) (Math.random() * 60000));
        List<Map<String, Object>> events = new ArrayList<>();
        events.addAll(times(
                6,
                "webhook.rejected",
                "failure",
                recently(),
                "service",
                "webhook-service",
                "actorType",
                "stripe",
                "sourceIp",
                attacker));
        events.addAll(times(
                5,
                "webhook.rejected",
                "failure",
                recently(),
                "service",
                "webhook-service",
                "actorType",
                "stripe",
                "sourceIp",
                rotating));
        post(events).statusCode(200);

        JsonPath findings = runNow();

        List<String> sources = findings.getList("findAll { it.rule == 'signature_failures' }.subject", String.class);
        assertThat(sources).contains(attacker).doesNotContain(rotating);
    }

    @Test
    void refundRateOverTheThresholdFiresAndAtOrBelowItOrOnLowVolumeDoesNot() {
        Instant high = Instant.now().minus(30, ChronoUnit.DAYS);
        Instant limit = Instant.now().minus(32, ChronoUnit.DAYS);
        Instant quiet = Instant.now().minus(34, ChronoUnit.DAYS);
        List<Map<String, Object>> events = new ArrayList<>();
        events.addAll(times(20, "payment.succeeded", "success", high));
        events.addAll(times(3, "refund.processed", "success", high)); // 15 % > 10 %
        events.addAll(times(20, "payment.succeeded", "success", limit));
        events.addAll(times(2, "refund.processed", "success", limit)); // 10 %, not over
        events.addAll(times(2, "refund.failed", "failure", limit));
        events.addAll(times(5, "payment.succeeded", "success", quiet));
        events.addAll(times(5, "refund.processed", "success", quiet)); // 100 % but too few payments to judge
        post(events).statusCode(200);

        List<Finding> atHigh = detection.run(high.plusSeconds(1)).await().indefinitely();
        List<Finding> atLimit = detection.run(limit.plusSeconds(1)).await().indefinitely();
        List<Finding> atQuiet = detection.run(quiet.plusSeconds(1)).await().indefinitely();

        assertThat(atHigh)
                .filteredOn(f -> f.rule().equals("refund_rate"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.observed()).isEqualTo(3);
                    assertThat(f.total()).isEqualTo(20);
                    assertThat(f.threshold()).isEqualTo(10);
                    assertThat(f.subject()).isEqualTo("all");
                });
        assertThat(atLimit).noneMatch(f -> f.rule().equals("refund_rate"));
        assertThat(atQuiet).noneMatch(f -> f.rule().equals("refund_rate"));
    }

    @Test
    void webhookFailureRateOverTheThresholdFiresAndBelowItDoesNot() {
        Instant high = Instant.now().minus(36, ChronoUnit.DAYS);
        Instant low = Instant.now().minus(38, ChronoUnit.DAYS);
        List<Map<String, Object>> events = new ArrayList<>();
        events.addAll(times(20, "webhook.received", "success", high, "service", "webhook-service"));
        events.addAll(
                times(2, "webhook.rejected", "failure", high, "service", "webhook-service", "sourceIp", "192.0.2.1"));
        events.addAll(times(40, "webhook.received", "success", low, "service", "webhook-service"));
        events.addAll(
                times(2, "webhook.rejected", "failure", low, "service", "webhook-service", "sourceIp", "192.0.2.2"));
        post(events).statusCode(200);

        List<Finding> atHigh = detection.run(high.plusSeconds(1)).await().indefinitely();
        List<Finding> atLow = detection.run(low.plusSeconds(1)).await().indefinitely();

        assertThat(atHigh)
                .filteredOn(f -> f.rule().equals("webhook_failure_rate"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.observed()).isEqualTo(2);
                    assertThat(f.total()).isEqualTo(22);
                });
        assertThat(atHigh).noneMatch(f -> f.rule().equals("signature_failures"));
        assertThat(atLow).noneMatch(f -> f.rule().equals("webhook_failure_rate"));
    }

    /**
     * The webhook entries are counted only as far as the rule needs (40 for 2 failures at 5 %, at
     * least the minimum volume of 20): a rate exactly at the maximum and a volume under the minimum do
     * not fire; one entry fewer than the limit does, with its exact total.
     */
    @Test
    void webhookFailureRateAtItsBoundsIsDecidedFromTheCountItNeeds() {
        Instant atMax = Instant.now().minus(44, ChronoUnit.DAYS);
        Instant overMax = Instant.now().minus(46, ChronoUnit.DAYS);
        Instant lowVolume = Instant.now().minus(48, ChronoUnit.DAYS);
        List<Map<String, Object>> events = new ArrayList<>();
        events.addAll(times(38, "webhook.received", "success", atMax, "service", "webhook-service"));
        events.addAll(times(2, "webhook.rejected", "failure", atMax, "service", "webhook-service"));
        events.addAll(times(37, "webhook.received", "success", overMax, "service", "webhook-service"));
        events.addAll(times(2, "webhook.rejected", "failure", overMax, "service", "webhook-service"));
        events.addAll(times(8, "webhook.received", "success", lowVolume, "service", "webhook-service"));
        events.addAll(times(2, "webhook.rejected", "failure", lowVolume, "service", "webhook-service"));
        post(events).statusCode(200);

        List<Finding> atMaxFindings =
                detection.run(atMax.plusSeconds(1)).await().indefinitely();
        List<Finding> overMaxFindings =
                detection.run(overMax.plusSeconds(1)).await().indefinitely();
        List<Finding> lowVolumeFindings =
                detection.run(lowVolume.plusSeconds(1)).await().indefinitely();

        assertThat(atMaxFindings).noneMatch(f -> f.rule().equals("webhook_failure_rate"));
        assertThat(overMaxFindings)
                .filteredOn(f -> f.rule().equals("webhook_failure_rate"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.observed()).isEqualTo(2);
                    assertThat(f.total()).isEqualTo(39);
                });
        assertThat(lowVolumeFindings).noneMatch(f -> f.rule().equals("webhook_failure_rate"));
    }

    @Test
    void findingsAreListedNewestFirstAndUnknownRulesRefused() {
        given().header("Authorization", Tokens.admin())
                .queryParam("size", 5)
                .get("/admin/api/audit/findings")
                .then()
                .statusCode(200)
                .body("size", equalTo(5));
        given().header("Authorization", Tokens.admin())
                .queryParam("rule", "nonsense")
                .get("/admin/api/audit/findings")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
