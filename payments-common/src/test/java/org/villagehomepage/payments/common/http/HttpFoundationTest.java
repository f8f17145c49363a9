package org.villagehomepage.payments.common.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.Tokens;

/** The behaviour every service inherits from the shared module. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
class HttpFoundationTest {

    private static final String ORDERS = "/test-receiver/orders";

    @Test
    void unknownPathIsProblem404WithRequestId() {
        given().header("X-Request-Id", "req-123")
                .get("/no/such/path")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .header("X-Request-Id", "req-123")
                .body("type", equalTo("urn:problem:payments:not-found"))
                .body("requestId", equalTo("req-123"))
                .body("status", equalTo(404));
    }

    @Test
    void generatesRequestIdAndSecurityHeaders() {
        given().get("/q/health/live")
                .then()
                .statusCode(200)
                .header("X-Request-Id", notNullValue())
                .header("Strict-Transport-Security", containsString("max-age="))
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store");
    }

    @Test
    void securityHeadersAlsoOnAnswersVertxGivesItself() {
        given().get("/no/such/path")
                .then()
                .statusCode(404)
                .header("Strict-Transport-Security", equalTo("max-age=31536000; includeSubDomains"))
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Cache-Control", "no-store");
    }

    @Test
    void unsafeRequestIdIsReplaced() {
        given().header("X-Request-Id", "bad id\nwith newline")
                .get("/q/health/live")
                .then()
                .header("X-Request-Id", not(containsString(" ")));
    }

    @Test
    void authGrid() {
        UUID user = UUID.randomUUID();
        String body = "{\"item\":\"x\",\"amount\":1}";
        given().contentType("application/json")
                .body(body)
                .post(ORDERS)
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", Tokens.expired(user))
                .contentType("application/json")
                .body(body)
                .post(ORDERS)
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().header("Authorization", Tokens.wrongIssuer(user))
                .contentType("application/json")
                .body(body)
                .post(ORDERS)
                .then()
                .statusCode(401);
        given().header("Authorization", Tokens.wrongKey(user))
                .contentType("application/json")
                .body(body)
                .post(ORDERS)
                .then()
                .statusCode(401);
        given().header("Authorization", Tokens.algNone())
                .contentType("application/json")
                .body(body)
                .post(ORDERS)
                .then()
                .statusCode(401);
        given().header("Authorization", Tokens.withGroups(user.toString(), "guest"))
                .contentType("application/json")
                .body(body)
                .post(ORDERS)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem:payments:forbidden"));
        given().header("Authorization", Tokens.user(user))
                .contentType("application/json")
                .body(body)
                .post(ORDERS)
                .then()
                .statusCode(200)
                .body("amount", equalTo(1));
    }

    @Test
    void validationAndJsonErrorsAreProblems() {
        String token = Tokens.user(UUID.randomUUID());
        given().header("Authorization", token)
                .contentType("application/json")
                .body("{\"item\":\"\",\"amount\":-5}")
                .post(ORDERS)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.item", notNullValue())
                .body("errors.amount", notNullValue());
        given().header("Authorization", token)
                .contentType("application/json")
                .body("{\"item\":\"a\",\"amount\":1,\"price\":0}")
                .post(ORDERS)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.price", equalTo("unknown field"));
        given().header("Authorization", token)
                .contentType("application/json")
                .body("{not json")
                .post(ORDERS)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(not(containsString("Exception")));
        given().header("Authorization", token)
                .contentType("text/plain")
                .body("x")
                .post(ORDERS)
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        given().header("Authorization", token)
                .delete(ORDERS)
                .then()
                .statusCode(405)
                .contentType("application/problem+json");
    }

    @Test
    void bodyOverTheLimitIs413() {
        byte[] twoMiB = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(twoMiB, (byte) 'a');
        given().header("Authorization", Tokens.user(UUID.randomUUID()))
                .contentType("application/json")
                .body(twoMiB)
                .post(ORDERS)
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .header("X-Frame-Options", "DENY");
    }

    @Test
    void unexpectedErrorsLeakNothing() {
        given().get("/test-receiver/boom")
                .then()
                .statusCode(500)
                .contentType("application/problem+json")
                .body(not(containsString("hunter2")))
                .body(not(containsString("select")))
                .body(not(containsString("IllegalStateException")))
                .body("requestId", notNullValue());
    }

    @Test
    void metricsAndOpenApiAreServed() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("homepage_outbox_pending_messages"));
        given().get("/q/openapi").then().statusCode(200);
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'Database schema migrated' }.status", equalTo("UP"));
    }
}
