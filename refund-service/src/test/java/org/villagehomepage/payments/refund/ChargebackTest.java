package org.villagehomepage.payments.refund;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.outbox.SqlOutbox;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;

/** Disputes: counted once whatever the duplicates and order; the second chargeback bans through the outbox. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class ChargebackTest {

    @Inject
    Pool pool;

    @Test
    void duplicateAndConcurrentDisputeEventsRecordOneChargeback() throws Exception {
        UUID user = UUID.randomUUID();
        String pi = TestData.newId("pi");
        String charge = TestData.newId("ch");
        String dispute = TestData.newId("du");
        TestData.knownPayment(pool, pi, charge, user, 1000);
        String event = StripeEventsJson.dispute(
                TestData.newId("evt"), "charge.dispute.created", dispute, charge, pi, 1000, "needs_response");
        // the same event under its relay message id, 8 times at once, and once more under another event id
        String messageId = UUID.randomUUID().toString();
        ExecutorService pool8 = Executors.newFixedThreadPool(8);
        List<Future<Integer>> sent = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            sent.add(pool8.submit((Callable<Integer>) () -> deliver(event, messageId)));
        }
        for (Future<Integer> f : sent) {
            assertThat(f.get()).isEqualTo(200);
        }
        pool8.shutdown();
        assertThat(deliver(
                        StripeEventsJson.dispute(
                                TestData.newId("evt"),
                                "charge.dispute.created",
                                dispute,
                                charge,
                                pi,
                                1000,
                                "needs_response"),
                        null))
                .isEqualTo(200);

        assertThat(TestData.count(pool, "SELECT count(*) FROM chargeback WHERE dispute_id = $1", dispute))
                .isEqualTo(1);
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM refund_request WHERE payment_intent_id = $1 AND reason = 'chargeback' AND status = 'processed'",
                        pi))
                .isEqualTo(1);
        assertThat(TestData.count(pool, "SELECT chargebacks FROM user_standing WHERE user_id = $1", user))
                .isEqualTo(1);
        assertThat(TestData.count(pool, "SELECT disputed FROM refund_payment WHERE payment_intent_id = $1", pi))
                .isEqualTo(1000);
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM outbox_message WHERE payload LIKE $1 AND payload LIKE $2",
                        "%chargeback.recorded%",
                        "%" + dispute + "%"))
                .isEqualTo(1);
        // the disputed amount is no longer refundable
        given().header("Authorization", Tokens.user(user))
                .contentType("application/json")
                .body("{\"paymentIntentId\":\"" + pi + "\",\"amount\":1}")
                .post("/api/marketplace/refunds")
                .then()
                .statusCode(409);
    }

    @Test
    void closedBeforeCreatedCountsOnceAndKeepsTheClosedStatus() {
        UUID user = UUID.randomUUID();
        String pi = TestData.newId("pi");
        String charge = TestData.newId("ch");
        String dispute = TestData.newId("du");
        TestData.knownPayment(pool, pi, charge, user, 700);
        assertThat(deliver(
                        StripeEventsJson.dispute(
                                TestData.newId("evt"), "charge.dispute.closed", dispute, charge, pi, 700, "lost"),
                        null))
                .isEqualTo(200);
        assertThat(deliver(
                        StripeEventsJson.dispute(
                                TestData.newId("evt"),
                                "charge.dispute.created",
                                dispute,
                                charge,
                                pi,
                                700,
                                "needs_response"),
                        null))
                .isEqualTo(200);
        Row row = TestData.one(pool, "SELECT status, closed_at FROM chargeback WHERE dispute_id = $1", dispute);
        assertThat(row.getString("status")).isEqualTo("lost");
        assertThat(row.getValue("closed_at")).isNotNull();
        assertThat(TestData.count(pool, "SELECT chargebacks FROM user_standing WHERE user_id = $1", user))
                .isEqualTo(1);
    }

    @Test
    void secondChargebackBansOnceThroughTheOutboxAndAnAdminCanLiftIt() {
        UUID user = UUID.randomUUID();
        String[] pis = {TestData.newId("pi"), TestData.newId("pi"), TestData.newId("pi")};
        String[] charges = {TestData.newId("ch"), TestData.newId("ch"), TestData.newId("ch")};
        for (int i = 0; i < 3; i++) {
            TestData.knownPayment(pool, pis[i], charges[i], user, 500);
        }
        String banPath = "/internal/users/" + user + "/ban";
        dispute(pis[0], charges[0], TestData.newId("du"));
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM outbox_message WHERE destination = 'checkout' AND path = $1",
                        banPath))
                .isZero();

        String second = TestData.newId("du");
        dispute(pis[1], charges[1], second);
        dispute(pis[1], charges[1], second); // a duplicate under a new event id: not a third chargeback
        List<Row> bans = TestData.all(
                pool, "SELECT id, payload FROM outbox_message WHERE destination = 'checkout' AND path = $1", banPath);
        assertThat(bans).hasSize(1);
        assertThat(bans.get(0).getString("payload"))
                .contains("\"reason\":\"chargebacks\"")
                .contains("\"chargebacks\":2");
        assertThat(bans.get(0).getUUID("id")).isEqualTo(SqlOutbox.idFor("checkout:ban:" + user + ":1"));
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM outbox_message WHERE destination = 'audit' AND payload LIKE $1 AND payload LIKE $2",
                        "%user.banned%",
                        "%" + user + "%"))
                .isEqualTo(1);
        given().header("Authorization", Tokens.admin())
                .get("/admin/api/users/" + user + "/standing")
                .then()
                .statusCode(200)
                .body("banned", equalTo(true))
                .body("chargebacks", equalTo(2));
        given().get("/q/metrics")
                .then()
                .body(org.hamcrest.Matchers.containsString("homepage_user_bans_total"))
                .body(org.hamcrest.Matchers.containsString("homepage_chargebacks_total"));

        // unban: audited, and the outbox tells checkout
        given().header("Authorization", Tokens.admin())
                .contentType("application/json")
                .body("{}")
                .post("/admin/api/users/" + user + "/unban")
                .then()
                .statusCode(400);
        given().header("Authorization", Tokens.admin())
                .contentType("application/json")
                .body("{\"reason\":\"won the disputes\"}")
                .post("/admin/api/users/" + user + "/unban")
                .then()
                .statusCode(200)
                .body("banned", equalTo(false));
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM outbox_message WHERE destination = 'checkout' AND path = $1",
                        "/internal/users/" + user + "/unban"))
                .isEqualTo(1);
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM outbox_message WHERE destination = 'audit' AND payload LIKE $1 AND payload LIKE $2",
                        "%user.unbanned%",
                        "%" + user + "%"))
                .isEqualTo(1);
        given().header("Authorization", Tokens.admin())
                .contentType("application/json")
                .body("{\"reason\":\"again\"}")
                .post("/admin/api/users/" + user + "/unban")
                .then()
                .statusCode(409);

        // Policy P3 counts all chargebacks: a third one bans again, as a new message
        dispute(pis[2], charges[2], TestData.newId("du"));
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM outbox_message WHERE destination = 'checkout' AND path = $1",
                        banPath))
                .isEqualTo(2);

        // ban, unban, ban: increasing versions, so checkout can drop one that arrives after a newer one
        List<Row> messages = TestData.all(
                pool,
                "SELECT path, payload FROM outbox_message WHERE destination = 'checkout' "
                        + "AND path IN ($1, $2) ORDER BY (payload::jsonb ->> 'version')::bigint",
                banPath,
                "/internal/users/" + user + "/unban");
        assertThat(messages)
                .extracting(r -> r.getString("path"))
                .containsExactly(banPath, "/internal/users/" + user + "/unban", banPath);
        assertThat(messages)
                .extracting(r -> r.getString("payload"))
                .satisfiesExactly(
                        p -> assertThat(p).contains("\"version\":1"),
                        p -> assertThat(p).contains("\"version\":2"),
                        p -> assertThat(p).contains("\"version\":3"));
    }

    @Test
    void concurrentDisputesOfOneUserBanExactlyOnce() throws Exception {
        UUID user = UUID.randomUUID();
        int n = 4;
        ExecutorService executor = Executors.newFixedThreadPool(n);
        List<Future<Integer>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String pi = TestData.newId("pi");
            String charge = TestData.newId("ch");
            TestData.knownPayment(pool, pi, charge, user, 300);
            String event = StripeEventsJson.dispute(
                    TestData.newId("evt"),
                    "charge.dispute.created",
                    TestData.newId("du"),
                    charge,
                    pi,
                    300,
                    "needs_response");
            sent.add(executor.submit((Callable<Integer>) () -> deliver(event, null)));
        }
        for (Future<Integer> f : sent) {
            assertThat(f.get()).isEqualTo(200);
        }
        executor.shutdown();
        assertThat(TestData.count(pool, "SELECT chargebacks FROM user_standing WHERE user_id = $1", user))
                .isEqualTo(n);
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM outbox_message WHERE destination = 'checkout' AND path = $1",
                        "/internal/users/" + user + "/ban"))
                .isEqualTo(1);
    }

    @Test
    void unknownEventTypesAndBadBodiesAreAnsweredCleanly() {
        given().header("Authorization", Tokens.service(ServiceNames.WEBHOOK, ServiceNames.REFUND))
                .contentType("application/json")
                .body("{\"id\":\"evt_1\",\"type\":\"customer.created\",\"data\":{\"object\":{\"id\":\"cus_1\"}}}")
                .post("/internal/stripe-events")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("ignored"));
        given().header("Authorization", Tokens.service(ServiceNames.WEBHOOK, ServiceNames.REFUND))
                .contentType("application/json")
                .body("{not json")
                .post("/internal/stripe-events")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().header("Authorization", Tokens.service(ServiceNames.WEBHOOK, ServiceNames.REFUND))
                .contentType("application/json")
                .body("[1]")
                .post("/internal/stripe-events")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    private void dispute(String pi, String charge, String dispute) {
        assertThat(deliver(
                        StripeEventsJson.dispute(
                                TestData.newId("evt"),
                                "charge.dispute.created",
                                dispute,
                                charge,
                                pi,
                                500,
                                "needs_response"),
                        null))
                .isEqualTo(200);
    }

    static int deliver(String event, String messageId) {
        var spec = given().header("Authorization", Tokens.service(ServiceNames.WEBHOOK, ServiceNames.REFUND))
                .contentType("application/json")
                .body(event);
        if (messageId != null) {
            spec = spec.header("X-Message-Id", messageId);
        }
        return spec.post("/internal/stripe-events").then().extract().statusCode();
    }
}
