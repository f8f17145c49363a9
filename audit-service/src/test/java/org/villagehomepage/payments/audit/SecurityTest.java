package org.villagehomepage.payments.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.security.ServiceAllowlist;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.testing.InternalAccess;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.Tokens;

/** Who may call what: intake is for services only, everything under /admin/api/audit for super_admin only. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
class SecurityTest {

    private record Call(String method, String path, Map<String, String> query) {}

    private static final List<Call> ADMIN = List.of(
            new Call("GET", "/admin/api/audit/trail", Map.of("listingId", "l1")),
            new Call("GET", "/admin/api/audit/users/" + UUID.randomUUID() + "/activity", Map.of()),
            new Call("GET", "/admin/api/audit/entries", Map.of()),
            new Call("GET", "/admin/api/audit/verify", Map.of()),
            new Call("GET", "/admin/api/audit/findings", Map.of()),
            new Call("POST", "/admin/api/audit/detection/run", Map.of()));

    private static Response call(Call call, String authorization) {
        RequestSpecification request = given().queryParams(call.query());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return call.method().equals("GET") ? request.get(call.path()) : request.post(call.path());
    }

    @Test
    void adminEndpointsAnswer401WithoutAValidTokenAnd403ToUsersAndServices() {
        UUID user = UUID.randomUUID();
        Map<String, Integer> expected = Map.of(
                "none",
                401,
                "expired",
                401,
                "wrongKey",
                401,
                "wrongIssuer",
                401,
                "algNone",
                401,
                "user",
                403,
                "service",
                401,
                "adminFromServiceKey",
                401,
                "admin",
                200);
        Map<String, Supplier<String>> tokens = Map.of(
                "none",
                () -> null,
                "expired",
                () -> Tokens.expired(user),
                "wrongKey",
                () -> Tokens.wrongKey(user),
                "wrongIssuer",
                () -> Tokens.wrongIssuer(user),
                "algNone",
                Tokens::algNone,
                "user",
                () -> Tokens.user(user),
                "service",
                () -> Tokens.service(ServiceNames.CHECKOUT, ServiceNames.AUDIT),
                "adminFromServiceKey",
                () -> Tokens.adminFromServiceKey(ServiceNames.AUDIT),
                "admin",
                Tokens::admin);
        for (Call call : ADMIN) {
            tokens.forEach((who, token) -> {
                Response answer = call(call, token.get());
                assertThat(answer.statusCode())
                        .as("%s %s as %s", call.method(), call.path(), who)
                        .isEqualTo(expected.get(who));
                if (answer.statusCode() != 200) {
                    assertThat(answer.contentType()).startsWith("application/problem+json");
                }
            });
        }
    }

    @Inject
    ServiceAllowlist allowlist;

    @Test
    void intakeAdmitsCheckoutWebhookAndRefundServicesOnly() {
        String body = "{\"events\":[{\"id\":\"" + UUID.randomUUID() + "\",\"occurredAt\":\"2026-01-01T00:00:00Z\","
                + "\"service\":\"checkout-service\",\"action\":\"checkout.attempted\",\"outcome\":\"success\"}]}";
        assertThat(allowlist.rows())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "POST /internal/audit/events",
                        Set.of(ServiceNames.CHECKOUT, ServiceNames.WEBHOOK, ServiceNames.REFUND)));
        // Each sender's batch names that sender (a service records only its own events).
        InternalAccess.assertOnlyAllowed(
                ServiceNames.AUDIT,
                sender -> new InternalAccess.Call(
                        "POST", "/internal/audit/events", body.replace("checkout-service", sender)),
                allowlist.rows().get("POST /internal/audit/events"));
        given().header("Authorization", Tokens.service(ServiceNames.CHECKOUT, ServiceNames.AUDIT))
                .contentType("application/json")
                .body(body)
                .post("/internal/audit/events")
                .then()
                .statusCode(200);
    }

    @Test
    void noServiceRecordsEventsInAnotherServicesName() {
        UUID id = UUID.randomUUID();
        String body = "{\"events\":[{\"id\":\"" + id + "\",\"occurredAt\":\"2026-01-01T00:00:00Z\","
                + "\"service\":\"refund-service\",\"action\":\"refund.processed\",\"outcome\":\"success\"}]}";
        given().header("Authorization", Tokens.service(ServiceNames.CHECKOUT, ServiceNames.AUDIT))
                .contentType("application/json")
                .body(body)
                .post("/internal/audit/events")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("service-mismatch"));
        given().header("Authorization", Tokens.service(ServiceNames.REFUND, ServiceNames.AUDIT))
                .contentType("application/json")
                .body(body)
                .post("/internal/audit/events")
                .then()
                .statusCode(200);
    }
}
