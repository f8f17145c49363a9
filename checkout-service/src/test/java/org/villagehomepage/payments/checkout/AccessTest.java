package org.villagehomepage.payments.checkout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;

/** Who may call what: tokens, groups, ownership, origins, rate limit, and what a request may not carry. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class AccessTest extends CheckoutTestBase {

    record Endpoint(String method, String path, String body, String allowedToken) {}

    private List<Endpoint> endpoints() {
        UUID someone = UUID.randomUUID();
        UUID listing = UUID.randomUUID();
        return List.of(
                new Endpoint(
                        "POST",
                        "/api/marketplace/listings",
                        "{\"categoryId\":\"" + FOR_SALE + "\",\"title\":\"t\"}",
                        Tokens.user(someone)),
                new Endpoint("GET", "/api/marketplace/listings/" + listing, null, Tokens.user(someone)),
                new Endpoint("POST", "/api/marketplace/listings/" + listing + "/checkout", "{}", Tokens.user(someone)),
                new Endpoint(
                        "POST",
                        "/api/marketplace/listings/" + listing + "/promote",
                        "{\"type\":\"bump\"}",
                        Tokens.user(someone)),
                new Endpoint(
                        "PUT",
                        "/admin/api/marketplace/categories/" + HOUSING + "/fee",
                        "{\"postingFee\":500}",
                        Tokens.admin()),
                new Endpoint(
                        "POST",
                        "/admin/api/marketplace/listings/" + listing + "/reject",
                        "{\"reason\":\"spam\"}",
                        Tokens.admin()));
    }

    private static Response call(Endpoint e, String token) {
        RequestSpecification spec = given().contentType("application/json");
        if (token != null) {
            spec.header("Authorization", token);
        }
        if (e.body() != null) {
            spec.body(e.body());
        }
        return spec.request(e.method(), e.path());
    }

    @Test
    void badTokensAre401AndWrongGroupsAre403Everywhere() {
        UUID user = UUID.randomUUID();
        List<Function<Endpoint, String>> unauthenticated = new java.util.ArrayList<>(List.of(
                e -> null,
                e -> Tokens.expired(user),
                e -> Tokens.wrongIssuer(user),
                e -> Tokens.wrongKey(user),
                e -> Tokens.algNone(),
                e -> "Bearer not.a.jwt",
                // User tokens must carry the configured audience.
                e -> Tokens.userWithoutAudience(user),
                e -> Tokens.userForAudience(user, "another-api")));
        // No service credential stands in for a user or an admin: neither its token nor what its key can sign.
        for (String service : ServiceNames.ALL) {
            unauthenticated.add(e -> Tokens.service(service, ServiceNames.CHECKOUT));
            unauthenticated.add(e -> Tokens.adminFromServiceKey(service));
        }
        for (Endpoint endpoint : endpoints()) {
            for (Function<Endpoint, String> token : unauthenticated) {
                call(endpoint, token.apply(endpoint)).then().statusCode(401).contentType("application/problem+json");
            }
            for (String wrong : List.of(
                    Tokens.user(user),
                    Tokens.admin(),
                    Tokens.withGroups("checkout-service", "service"),
                    Tokens.withGroups(user.toString(), "guest"))) {
                if (!wrong.equals(endpoint.allowedToken()) && !sameGroup(wrong, endpoint.allowedToken())) {
                    call(endpoint, wrong)
                            .then()
                            .statusCode(403)
                            .contentType("application/problem+json")
                            .body("type", equalTo("urn:problem:payments:forbidden"));
                }
            }
            assertThat(call(endpoint, endpoint.allowedToken()).statusCode())
                    .as(endpoint.path())
                    .isNotIn(401, 403);
        }
    }

    private static boolean sameGroup(String a, String b) {
        return group(a).equals(group(b));
    }

    private static String group(String bearer) {
        String payload = new String(
                java.util.Base64.getUrlDecoder().decode(bearer.substring(7).split("\\.")[1]));
        return payload.replaceAll(".*\"groups\":\\[([^\\]]*)].*", "$1");
    }

    @Test
    void anotherUsersListingIsIndistinguishableFromAMissingOne() {
        UUID owner = UUID.randomUUID();
        UUID pending = createListing(owner, HOUSING);
        UUID active = createListing(owner, FOR_SALE);
        UUID stranger = UUID.randomUUID();

        for (UUID listing : List.of(pending, active, UUID.randomUUID())) {
            assertNotFound(asUser(stranger).get("/api/marketplace/listings/" + listing));
            assertNotFound(checkout(stranger, listing));
            assertNotFound(promote(stranger, listing, "featured"));
            assertNotFound(promote(stranger, listing, "bump"));
        }
        assertThat(count("SELECT count(*) FROM payment WHERE listing_id IN ($1, $2)", pending, active))
                .isZero();
        // Checkout and both promotions were refused and audited as denials; reads are not audited.
        assertThat(audits(pending, "checkout.denied")).isEqualTo(3);
    }

    private static void assertNotFound(Response response) {
        response.then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem:payments:not-found"))
                .body("detail", equalTo("Listing not found"));
    }

    @Test
    void aPromotionRequestCarryingAPriceIsRefusedAndNothingIsOpened() {
        UUID user = UUID.randomUUID();
        UUID active = createListing(user, FOR_SALE);
        asUser(user)
                .body("{\"type\":\"featured\",\"amount\":1}")
                .post("/api/marketplace/listings/" + active + "/promote")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.amount", equalTo("unknown field"));
        asUser(user)
                .body("{\"type\":\"bump\",\"price\":0.01}")
                .post("/api/marketplace/listings/" + active + "/promote")
                .then()
                .statusCode(400)
                .body("errors.price", equalTo("unknown field"));
        asUser(user)
                .body("{\"type\":\"gold\"}")
                .post("/api/marketplace/listings/" + active + "/promote")
                .then()
                .statusCode(400)
                .body("errors.type", notNullValue());
        asUser(user)
                .body("{}")
                .post("/api/marketplace/listings/" + active + "/promote")
                .then()
                .statusCode(400)
                .body("errors.type", notNullValue());
        assertThat(count("SELECT count(*) FROM payment WHERE user_id = $1", user))
                .isZero();
    }

    @Test
    void foreignOriginIsAProblem403AndAllowedOriginGetsCors() {
        UUID user = UUID.randomUUID();
        double before = metric("homepage_checkout_denied_total", "reason=\"origin\"");
        given().header("Authorization", Tokens.user(user))
                .header("Origin", "https://evil.example")
                .contentType("application/json")
                .body("{}")
                .post("/api/marketplace/listings/" + UUID.randomUUID() + "/checkout")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem:payments:origin-not-allowed"))
                .body("requestId", notNullValue());
        assertThat(metric("homepage_checkout_denied_total", "reason=\"origin\""))
                .isEqualTo(before + 1);
        assertThat(count("SELECT count(*) FROM outbox_message WHERE destination = 'audit'"
                        + " AND payload::jsonb -> 'events' -> 0 ->> 'action' = 'checkout.denied'"
                        + " AND payload::jsonb -> 'events' -> 0 -> 'details' ->> 'origin' = 'https://evil.example'"))
                .isPositive();

        given().header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
                .options("/api/marketplace/listings/" + UUID.randomUUID() + "/checkout")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", ORIGIN);
        // Calls without an Origin header are not browser calls (servers, curl): allowed.
        given().get("/api/marketplace/categories").then().statusCode(200);
    }

    @Test
    void checkoutIsRateLimitedPerUser() {
        UUID user = UUID.randomUUID();
        double before = metric("homepage_checkout_denied_total", "reason=\"rate_limited\"");
        int notFound = 0;
        Response last = null;
        for (int i = 0; i < 40; i++) {
            last = checkout(user, UUID.randomUUID());
            if (last.statusCode() == 429) {
                break;
            }
            notFound += last.statusCode() == 404 ? 1 : 0;
        }
        assertThat(notFound).isEqualTo(30);
        last.then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("urn:problem:payments:rate-limited"));
        promote(user, UUID.randomUUID(), "bump").then().statusCode(429);
        assertThat(metric("homepage_checkout_denied_total", "reason=\"rate_limited\""))
                .isEqualTo(before + 2);
        // Another user is not affected.
        checkout(UUID.randomUUID(), UUID.randomUUID()).then().statusCode(404);
    }

    /** Issue 12: N refused requests write a bounded number of audit entries; the metric counts them all. */
    @Test
    void aFloodOfRefusalsWritesABoundedNumberOfAuditEntries() {
        long originAudits = count("SELECT count(*) FROM outbox_message WHERE destination = 'audit'"
                + " AND payload::jsonb -> 'events' -> 0 ->> 'action' = 'checkout.denied'"
                + " AND payload::jsonb -> 'events' -> 0 -> 'details' ->> 'reason' = 'origin'");
        double originDenied = metric("homepage_checkout_denied_total", "reason=\"origin\"");
        for (int i = 0; i < 60; i++) { // unauthenticated: a foreign Origin is refused before the token is looked at
            given().header("Origin", "https://evil.example")
                    .contentType("application/json")
                    .body("{}")
                    .post("/api/marketplace/listings/" + UUID.randomUUID() + "/checkout")
                    .then()
                    .statusCode(403);
        }
        assertThat(metric("homepage_checkout_denied_total", "reason=\"origin\""))
                .isEqualTo(originDenied + 60);
        long written = count("SELECT count(*) FROM outbox_message WHERE destination = 'audit'"
                        + " AND payload::jsonb -> 'events' -> 0 ->> 'action' = 'checkout.denied'"
                        + " AND payload::jsonb -> 'events' -> 0 -> 'details' ->> 'reason' = 'origin'")
                - originAudits;
        // A burst of 5 per source, then 6 a minute: far fewer than 60 whatever the machine's speed.
        assertThat(written).isBetween(0L, 12L);

        UUID user = UUID.randomUUID();
        for (int i = 0; i < 90; i++) {
            checkout(user, UUID.randomUUID());
        }
        long rateLimitedAudits = count(
                "SELECT count(*) FROM outbox_message WHERE destination = 'audit'"
                        + " AND payload::jsonb -> 'events' -> 0 ->> 'action' = 'checkout.denied'"
                        + " AND payload::jsonb -> 'events' -> 0 ->> 'actorId' = $1"
                        + " AND payload::jsonb -> 'events' -> 0 -> 'details' ->> 'reason' = 'rate_limited'",
                user.toString());
        assertThat(rateLimitedAudits).as("60 refusals of one user").isBetween(1L, 12L);
    }

    @Test
    void errorsLeakNothing() {
        UUID user = UUID.randomUUID();
        asUser(user)
                .body("{\"categoryId\":")
                .post("/api/marketplace/listings")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(not(containsString("Exception")))
                .body(not(containsString("jackson")));
        asUser(user)
                .get("/api/marketplace/listings/not-a-uuid")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        asModerator()
                .body(Map.of("reason", "x"))
                .post("/admin/api/marketplace/listings/not-a-uuid/reject")
                .then()
                .statusCode(404);
    }
}
