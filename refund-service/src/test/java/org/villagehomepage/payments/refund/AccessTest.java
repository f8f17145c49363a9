package org.villagehomepage.payments.refund;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.security.ServiceAllowlist;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.testing.InternalAccess;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;

/** Who may call what: admin endpoints for super_admin only, internal ones for services, and ownership. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class AccessTest {

    @Inject
    Pool pool;

    record Call(String method, String path, String body) {}

    private static final String ID = UUID.randomUUID().toString();
    private static final List<Call> ADMIN = List.of(
            new Call("GET", "/admin/api/marketplace/refunds?status=pending", null),
            new Call("GET", "/admin/api/marketplace/refunds/" + ID, null),
            new Call("POST", "/admin/api/marketplace/refunds/" + ID + "/approve", "{}"),
            new Call("POST", "/admin/api/marketplace/refunds/" + ID + "/reject", "{\"note\":\"no\"}"),
            new Call("POST", "/admin/api/marketplace/refunds/" + ID + "/retry", null),
            new Call("POST", "/admin/api/users/" + ID + "/unban", "{\"reason\":\"appeal\"}"),
            new Call("GET", "/admin/api/users/" + ID + "/standing", null),
            new Call("GET", "/admin/api/outbox/dead", null));

    @Test
    void adminEndpointsAre401WithoutTokenAnd403ForUsersAndServices() {
        for (Call call : ADMIN) {
            send(given(), call).then().statusCode(401).contentType("application/problem+json");
            send(given().header("Authorization", Tokens.user(UUID.randomUUID())), call)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("type", containsString("forbidden"));
            for (String service : ServiceNames.ALL) { // a service credential never stands in for an admin
                send(given().header("Authorization", Tokens.service(service, ServiceNames.REFUND)), call)
                        .then()
                        .statusCode(401);
                send(given().header("Authorization", Tokens.adminFromServiceKey(service)), call)
                        .then()
                        .statusCode(401);
            }
            send(given().header("Authorization", Tokens.withGroups("refund-service", "service")), call)
                    .then()
                    .statusCode(403);
            send(given().header("Authorization", Tokens.algNone()), call).then().statusCode(401);
            send(given().header("Authorization", Tokens.expired(UUID.randomUUID())), call)
                    .then()
                    .statusCode(401);
            send(given().header("Authorization", Tokens.wrongKey(UUID.randomUUID())), call)
                    .then()
                    .statusCode(401);
            send(given().header("Authorization", Tokens.wrongIssuer(UUID.randomUUID())), call)
                    .then()
                    .statusCode(401);
        }
    }

    @Inject
    ServiceAllowlist allowlist;

    @Test
    void everyAllowlistRowAdmitsItsSendersOnly() {
        Map<String, InternalAccess.Call> samples = Map.of(
                "POST /internal/refunds", new InternalAccess.Call("POST", "/internal/refunds", "{}"),
                "POST /internal/stripe-events", new InternalAccess.Call("POST", "/internal/stripe-events", "{}"),
                "POST /internal/ledger/amounts",
                        new InternalAccess.Call(
                                "POST", "/internal/ledger/amounts", "{\"paymentIntentIds\":[\"pi_123\"]}"),
                "GET /internal/refunds/by-stripe-refund/{refundId}",
                        new InternalAccess.Call("GET", "/internal/refunds/by-stripe-refund/re_123", null));
        assertThat(allowlist.rows())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "POST /internal/refunds", Set.of(ServiceNames.CHECKOUT),
                        "POST /internal/stripe-events", Set.of(ServiceNames.WEBHOOK),
                        "POST /internal/ledger/amounts", Set.of(ServiceNames.WEBHOOK),
                        "GET /internal/refunds/by-stripe-refund/{refundId}", Set.of(ServiceNames.WEBHOOK)));
        allowlist
                .rows()
                .forEach((row, senders) ->
                        InternalAccess.assertOnlyAllowed(ServiceNames.REFUND, samples.get(row), senders));
    }

    @Test
    void browserEndpointsHaveTheOriginAllowlistCorsAndAPerUserRateLimit() {
        UUID user = UUID.randomUUID();
        // A foreign Origin is refused before authentication; no Origin (servers, curl) is not a browser call.
        given().header("Origin", "https://evil.example")
                .contentType("application/json")
                .body("{\"paymentIntentId\":\"pi_x\"}")
                .post("/api/marketplace/refunds")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", containsString("origin-not-allowed"));
        given().header("Origin", "https://village.test")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/api/marketplace/refunds")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "https://village.test");
        given().header("Authorization", Tokens.user(user))
                .contentType("application/json")
                .body("{\"paymentIntentId\":\"pi_unknown\"}")
                .post("/api/marketplace/refunds")
                .then()
                .statusCode(404);

        int answered = 1;
        io.restassured.response.Response last = null;
        for (int i = 0; i < 40; i++) {
            last = given().header("Authorization", Tokens.user(user))
                    .header("Origin", "https://village.test")
                    .contentType("application/json")
                    .body("{\"paymentIntentId\":\"pi_"
                            + UUID.randomUUID().toString().replace("-", "") + "\"}")
                    .post("/api/marketplace/refunds");
            if (last.statusCode() == 429) {
                break;
            }
            answered++;
        }
        assertThat(answered).isEqualTo(30);
        last.then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
        // Another user is not affected.
        given().header("Authorization", Tokens.user(UUID.randomUUID()))
                .contentType("application/json")
                .body("{\"paymentIntentId\":\"pi_unknown\"}")
                .post("/api/marketplace/refunds")
                .then()
                .statusCode(404);
    }

    @Test
    void userEndpointsNeedAUser() {
        given().contentType("application/json")
                .body("{\"paymentIntentId\":\"pi_x\"}")
                .post("/api/marketplace/refunds")
                .then()
                .statusCode(401);
        given().header("Authorization", Tokens.service(ServiceNames.CHECKOUT, ServiceNames.REFUND))
                .get("/api/marketplace/refunds/" + ID)
                .then()
                .statusCode(401);
        given().header("Authorization", Tokens.userWithoutAudience(UUID.randomUUID()))
                .get("/api/marketplace/refunds/" + ID)
                .then()
                .statusCode(401);
    }

    @Test
    void anotherUsersPaymentAndRefundAreNotFoundLikeMissingOnes() {
        UUID owner = UUID.randomUUID();
        UUID stranger = UUID.randomUUID();
        String pi = TestData.newId("pi");
        TestData.knownPayment(pool, pi, TestData.newId("ch"), owner, 1500);

        String refundId = given().header("Authorization", Tokens.user(owner))
                .contentType("application/json")
                .body("{\"paymentIntentId\":\"" + pi + "\",\"amount\":500}")
                .post("/api/marketplace/refunds")
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        String foreign = given().header("Authorization", Tokens.user(stranger))
                .contentType("application/json")
                .body("{\"paymentIntentId\":\"" + pi + "\",\"amount\":500}")
                .post("/api/marketplace/refunds")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .extract()
                .path("detail");
        given().header("Authorization", Tokens.user(stranger))
                .get("/api/marketplace/refunds/" + refundId)
                .then()
                .statusCode(404)
                .body("detail", equalTo("Refund request not found"));
        given().header("Authorization", Tokens.user(stranger))
                .get("/api/marketplace/refunds/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .body("detail", equalTo("Refund request not found"));
        given().header("Authorization", Tokens.user(owner))
                .get("/api/marketplace/refunds/" + refundId)
                .then()
                .statusCode(200)
                .body("status", equalTo("pending"))
                .body("amount", equalTo(500))
                .body("$", not(org.hamcrest.Matchers.hasKey("reviewer")));
        // nothing was stored for the stranger's attempt
        org.assertj.core.api.Assertions.assertThat(
                        TestData.count(pool, "SELECT count(*) FROM refund_request WHERE payment_intent_id = $1", pi))
                .isEqualTo(1);
        org.assertj.core.api.Assertions.assertThat(foreign).isEqualTo("Payment not found");
    }

    private static io.restassured.response.Response send(RequestSpecification spec, Call call) {
        if (call.body() != null) {
            spec = spec.contentType("application/json").body(call.body());
        }
        return call.method().equals("GET") ? spec.get(call.path()) : spec.post(call.path());
    }
}
