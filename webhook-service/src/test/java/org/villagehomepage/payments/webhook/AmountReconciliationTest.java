package org.villagehomepage.payments.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;
import org.villagehomepage.payments.webhook.support.Db;
import org.villagehomepage.payments.webhook.support.FakeServices;
import org.villagehomepage.payments.webhook.support.Payments;

/** Amount-level reconciliation: Stripe's charges, refunds and disputes against checkout and the refund ledger (fakes). */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
@QuarkusTestResource(FakeServices.class)
class AmountReconciliationTest {

    @Inject
    Pool pool;

    @Inject
    StripeClient stripe;

    private PaymentIntent matched;
    private PaymentIntent notApplied;
    private PaymentIntent refundedUnrecorded;
    private PaymentIntent refundedRecorded;
    private PaymentIntent disputed;
    private final String ghost = "pi_ghost_" + System.nanoTime();

    @BeforeEach
    void moneyAtStripeAndInTheSuite() throws StripeException {
        StripeEmulatorResource.emulator().reset();
        Db.clean(pool);
        FakeServices.reset();
        matched = Payments.paid(stripe);
        notApplied = Payments.paid(stripe);
        refundedUnrecorded = Payments.paid(stripe);
        Payments.refund(stripe, refundedUnrecorded.getId());
        refundedRecorded = Payments.paid(stripe);
        Payments.refund(stripe, refundedRecorded.getId());
        disputed = Payments.paid(stripe);
        String charge = stripe.v1().paymentIntents().retrieve(disputed.getId()).getLatestCharge();
        given().baseUri(StripeEmulatorResource.emulator().apiBase())
                .contentType("application/json")
                .body("{\"reason\":\"fraudulent\"}")
                .post("/_emulator/charges/" + charge + "/dispute")
                .then()
                .statusCode(200);
        Payments.create(stripe); // never paid: no money anywhere
        for (PaymentIntent pi : List.of(matched, refundedUnrecorded, refundedRecorded, disputed)) {
            FakeServices.CAPTURED.add(captured(pi.getId(), 500));
        }
        FakeServices.CAPTURED.add(captured(ghost, 700));
        FakeServices.LEDGER.put(refundedRecorded.getId(), ledger(refundedRecorded.getId(), 500, 0));
        FakeServices.LEDGER.put(disputed.getId(), ledger(disputed.getId(), 0, 500));
    }

    @Test
    void everyDifferenceIsListedWithItsIdsPerDayAndInTotal() {
        JsonPath report = given().header("Authorization", Tokens.admin())
                .queryParams(period())
                .get("/admin/api/webhooks/reconciliation/amounts")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertThat(report.getInt("differenceCount")).isEqualTo(3);
        List<Map<String, Object>> differences = report.getList("differences");
        assertThat(differences).anySatisfy(d -> {
            assertThat(d.get("paymentIntentId")).isEqualTo(notApplied.getId());
            assertThat(d.get("kind")).isEqualTo("captured");
            assertThat(((Number) d.get("stripe")).longValue()).isEqualTo(500);
            assertThat(((Number) d.get("suite")).longValue()).isZero();
            assertThat((String) d.get("chargeId")).startsWith("ch_");
        });
        assertThat(differences).anySatisfy(d -> {
            assertThat(d.get("paymentIntentId")).isEqualTo(refundedUnrecorded.getId());
            assertThat(d.get("kind")).isEqualTo("refunded");
            assertThat(((Number) d.get("stripe")).longValue()).isEqualTo(500);
        });
        assertThat(differences).anySatisfy(d -> {
            assertThat(d.get("paymentIntentId")).isEqualTo(ghost);
            assertThat(d.get("kind")).isEqualTo("captured");
            assertThat(((Number) d.get("suite")).longValue()).isEqualTo(700);
        });
        assertThat(differences)
                .noneSatisfy(d -> assertThat(d.get("paymentIntentId"))
                        .isIn(matched.getId(), refundedRecorded.getId(), disputed.getId()));
        // totals per currency: Stripe captured 5 x 500, the suite 4 x 500 + 700; disputes agree
        assertThat(report.getLong("totals[0].stripe.captured")).isEqualTo(2500);
        assertThat(report.getLong("totals[0].suite.captured")).isEqualTo(2700);
        assertThat(report.getLong("totals[0].stripe.refunded")).isEqualTo(1000);
        assertThat(report.getLong("totals[0].suite.refunded")).isEqualTo(500);
        assertThat(report.getLong("totals[0].stripe.disputed")).isEqualTo(500);
        assertThat(report.getLong("totals[0].suite.disputed")).isEqualTo(500);
        assertThat(report.getList("days")).isNotEmpty();

        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("homepage_reconciliation_amount_differences 3.0");
        // the admin read is audited
        assertThat(Db.count(
                        pool,
                        "SELECT count(*) FROM outbox_message WHERE destination = 'audit' "
                                + "AND payload LIKE '%reconciliation.amounts_checked%'"))
                .isEqualTo(1);
    }

    @Test
    void csvExportHasTheTotalsAndEveryDifference() {
        String csv = given().header("Authorization", Tokens.admin())
                .queryParams(period())
                .queryParam("format", "csv")
                .get("/admin/api/webhooks/reconciliation/amounts")
                .then()
                .statusCode(200)
                .contentType("text/csv; charset=utf-8")
                .extract()
                .asString();
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0))
                .isEqualTo("row,day,currency,kind,payment_intent_id,charge_id,stripe,suite,difference,note");
        assertThat(lines.stream().filter(l -> l.startsWith("difference,"))).hasSize(3);
        assertThat(lines)
                .anySatisfy(l -> assertThat(l)
                        .startsWith("difference,")
                        .contains(notApplied.getId())
                        .contains(",500,0,500,"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("total,,\"usd\",captured,,,2500,2700,-200,"));
    }

    @Test
    void onlySuperAdminsAndValidPeriods() {
        given().header("Authorization", Tokens.user(java.util.UUID.randomUUID()))
                .get("/admin/api/webhooks/reconciliation/amounts")
                .then()
                .statusCode(403);
        given().header("Authorization", Tokens.admin())
                .queryParam("from", "2026-02-30")
                .get("/admin/api/webhooks/reconciliation/amounts")
                .then()
                .statusCode(400);
        given().header("Authorization", Tokens.admin())
                .queryParam("from", "2026-01-01")
                .queryParam("to", "2025-01-01")
                .get("/admin/api/webhooks/reconciliation/amounts")
                .then()
                .statusCode(400);
    }

    @Test
    void adminReadsOfStoredEventsAreAudited() {
        String admin = java.util.UUID.randomUUID().toString();
        given().header("Authorization", Tokens.withGroups(admin, "super_admin"))
                .queryParam("status", "dead")
                .get("/admin/api/webhooks/events")
                .then()
                .statusCode(200);
        assertThat(Db.count(
                        pool,
                        "SELECT count(*) FROM outbox_message WHERE destination = 'audit' "
                                + "AND payload::jsonb -> 'events' -> 0 ->> 'action' = 'admin.read' "
                                + "AND payload::jsonb -> 'events' -> 0 ->> 'actorId' = $1 "
                                + "AND payload::jsonb -> 'events' -> 0 -> 'details' ->> 'path' = '/admin/api/webhooks/events'",
                        admin))
                .isEqualTo(1);
    }

    /** Wide enough for an emulator clock advanced by other tests. */
    private static Map<String, String> period() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        return Map.of(
                "from", today.minusDays(2).toString(), "to", today.plusDays(60).toString());
    }

    private static String captured(String pi, long amount) {
        return "{\"paymentIntentId\":\"%s\",\"amount\":%d,\"currency\":\"usd\",\"succeededAt\":\"%s\",\"status\":\"succeeded\"}"
                .formatted(pi, amount, Instant.now());
    }

    private static String ledger(String pi, long refunded, long disputed) {
        return "{\"paymentIntentId\":\"%s\",\"refunded\":%d,\"disputed\":%d}".formatted(pi, refunded, disputed);
    }
}
