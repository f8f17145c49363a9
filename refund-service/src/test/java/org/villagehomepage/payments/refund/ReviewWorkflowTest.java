package org.villagehomepage.payments.refund;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;
import org.villagehomepage.payments.refund.review.PendingRefundsGauge;

/** A user's request, the admin list, rejection and the refused transitions (no Stripe call involved). */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class ReviewWorkflowTest {

    @Inject
    Pool pool;

    @Inject
    PendingRefundsGauge pendingGauge;

    @Test
    void userRequestIsPendingListedAndRejectedWithANote() throws Throwable {
        UUID user = UUID.randomUUID();
        String pi = TestData.newId("pi");
        TestData.knownPayment(pool, pi, TestData.newId("ch"), user, 1000);

        String id = requestRefund(
                        user, pi, "{\"paymentIntentId\":\"" + pi + "\",\"amount\":400,\"note\":\"never used it\"}")
                .then()
                .statusCode(201)
                .body("status", equalTo("pending"))
                .body("reason", equalTo("user_request"))
                .body("currency", equalTo("usd"))
                .extract()
                .path("id");
        assertThat(TestData.auditRecords(pool, "refund.requested", id)).isEqualTo(1);

        List<String> pending = given().header("Authorization", Tokens.admin())
                .get("/admin/api/marketplace/refunds?status=pending&limit=500")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id");
        assertThat(pending).contains(id);
        long refreshed = io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> pendingGauge.refresh());
        assertThat(refreshed)
                .isEqualTo(TestData.count(pool, "SELECT count(*) FROM refund_request WHERE status = 'pending'"))
                .isGreaterThanOrEqualTo(1);
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("homepage_refunds_pending " + refreshed + ".0"))
                .body(org.hamcrest.Matchers.containsString(
                        "homepage_refunds_requested_total{reason=\"user_request\"}"));

        // a second open request on the same payment is refused
        requestRefund(user, pi, "{\"paymentIntentId\":\"" + pi + "\",\"amount\":100}")
                .then()
                .statusCode(409)
                .body("type", org.hamcrest.Matchers.endsWith("refund-already-requested"));

        // reject needs a note
        given().header("Authorization", Tokens.admin())
                .contentType("application/json")
                .body("{}")
                .post("/admin/api/marketplace/refunds/" + id + "/reject")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        String admin = UUID.randomUUID().toString();
        given().header("Authorization", Tokens.withGroups(admin, "super_admin"))
                .contentType("application/json")
                .body("{\"note\":\"outside policy\"}")
                .post("/admin/api/marketplace/refunds/" + id + "/reject")
                .then()
                .statusCode(200)
                .body("status", equalTo("rejected"))
                .body("reviewer", equalTo(admin))
                .body("decisionNote", equalTo("outside policy"));
        assertThat(TestData.auditRecords(pool, "refund.rejected", id)).isEqualTo(1);
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM outbox_message WHERE payload LIKE $1 AND payload LIKE $2",
                        "%refund.rejected%",
                        "%outside policy%"))
                .isEqualTo(1);

        // rejected is final: no approve, no second reject, no retry
        given().header("Authorization", Tokens.admin())
                .contentType("application/json")
                .body("{}")
                .post("/admin/api/marketplace/refunds/" + id + "/approve")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("invalid-transition"));
        given().header("Authorization", Tokens.admin())
                .contentType("application/json")
                .body("{\"note\":\"again\"}")
                .post("/admin/api/marketplace/refunds/" + id + "/reject")
                .then()
                .statusCode(409);
        given().header("Authorization", Tokens.admin())
                .post("/admin/api/marketplace/refunds/" + id + "/retry")
                .then()
                .statusCode(409);
        given().header("Authorization", Tokens.admin())
                .get("/admin/api/marketplace/refunds?status=pending&limit=500")
                .then()
                .statusCode(200)
                .body("id", not(hasItem(id)));
        given().header("Authorization", Tokens.user(user))
                .get("/api/marketplace/refunds/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("rejected"));
        assertThat(TestData.count(pool, "SELECT reserved FROM refund_payment WHERE payment_intent_id = $1", pi))
                .isZero();
    }

    @Test
    void amountsBeyondWhatRemainsAreRefused() {
        UUID user = UUID.randomUUID();
        String pi = TestData.newId("pi");
        TestData.knownPayment(pool, pi, TestData.newId("ch"), user, 500);
        requestRefund(user, pi, "{\"paymentIntentId\":\"" + pi + "\",\"amount\":501}")
                .then()
                .statusCode(409)
                .body("type", org.hamcrest.Matchers.endsWith("refund-exceeds-remaining"));
        requestRefund(user, pi, "{\"paymentIntentId\":\"" + pi + "\",\"amount\":-5}")
                .then()
                .statusCode(400);
        requestRefund(user, pi, "{\"paymentIntentId\":\"" + pi + "\",\"amount\":5,\"extra\":1}")
                .then()
                .statusCode(400);
        requestRefund(user, pi, "{\"paymentIntentId\":\"not-an-intent\"}")
                .then()
                .statusCode(400);
        // no amount: all that remains
        requestRefund(user, pi, "{\"paymentIntentId\":\"" + pi + "\"}")
                .then()
                .statusCode(201)
                .body("amount", equalTo(500));
    }

    @Test
    void cardNumbersInNotesAndReasonsAreRefusedAndNeverStored() {
        UUID user = UUID.randomUUID();
        String pi = TestData.newId("pi");
        TestData.knownPayment(pool, pi, TestData.newId("ch"), user, 1000);
        for (String card :
                List.of("4242  4242  4242  4242", "4242.4242.4242.4242", "5555-5555-5555-4444", "3782 822463 10005")) {
            requestRefund(user, pi, "{\"paymentIntentId\":\"" + pi + "\",\"note\":\"card " + card + "\"}")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.note", notNullValue())
                    .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(card)));
        }
        assertThat(TestData.count(pool, "SELECT count(*) FROM refund_request WHERE payment_intent_id = $1", pi))
                .isZero();

        String id = requestRefund(user, pi, "{\"paymentIntentId\":\"" + pi + "\",\"note\":\"changed my mind\"}")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        for (String action : List.of("approve", "reject")) {
            given().header("Authorization", Tokens.admin())
                    .contentType("application/json")
                    .body("{\"note\":\"paid with 4242.4242.4242.4242\"}")
                    .post("/admin/api/marketplace/refunds/" + id + "/" + action)
                    .then()
                    .statusCode(400)
                    .body("errors.note", notNullValue());
        }
        given().header("Authorization", Tokens.admin())
                .contentType("application/json")
                .body("{\"reason\":\"card 4242 4242 4242 4242\"}")
                .post("/admin/api/users/" + user + "/unban")
                .then()
                .statusCode(400)
                .body("errors.reason", notNullValue());
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM refund_request WHERE id = $1 AND status = 'pending'",
                        UUID.fromString(id)))
                .isEqualTo(1);
    }

    @Test
    void unknownIdsAndStatusesAreProblems() {
        given().header("Authorization", Tokens.admin())
                .contentType("application/json")
                .body("{}")
                .post("/admin/api/marketplace/refunds/" + UUID.randomUUID() + "/approve")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().header("Authorization", Tokens.admin())
                .get("/admin/api/marketplace/refunds?status=weird")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().header("Authorization", Tokens.admin())
                .contentType("application/json")
                .body("{\"reason\":\"appeal\"}")
                .post("/admin/api/users/" + UUID.randomUUID() + "/unban")
                .then()
                .statusCode(409)
                .body("type", org.hamcrest.Matchers.endsWith("not-banned"));
    }

    private static io.restassured.response.Response requestRefund(UUID user, String pi, String body) {
        return given().header("Authorization", Tokens.user(user))
                .contentType("application/json")
                .body(body)
                .post("/api/marketplace/refunds");
    }
}
