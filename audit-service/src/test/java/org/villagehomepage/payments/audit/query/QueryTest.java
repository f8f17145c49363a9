package org.villagehomepage.payments.audit.query;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.villagehomepage.payments.audit.AuditApi.event;
import static org.villagehomepage.payments.audit.AuditApi.post;
import static org.villagehomepage.payments.audit.AuditApi.with;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.audit.AuditApi;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.Tokens;

@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
class QueryTest {

    @Inject
    Pool pool;

    /** The demo flow of one listing, as the services would report it, delivered out of order. */
    private record Flow(
            String listingId, String paymentIntentId, String refundId, String userId, List<String> actions) {}

    private Flow flow() {
        String listing = UUID.randomUUID().toString();
        String intent = AuditApi.stripeId("pi");
        String refund = UUID.randomUUID().toString();
        String user = UUID.randomUUID().toString();
        Instant t = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        List<Map<String, Object>> events = new ArrayList<>(List.of(
                at(event("listing.created", "success"), t, "actorType", "user", "actorId", user, "listingId", listing),
                at(
                        event("checkout.attempted", "success"),
                        t.plusSeconds(1),
                        "actorType",
                        "user",
                        "actorId",
                        user,
                        "listingId",
                        listing),
                at(
                        event("checkout.succeeded", "success"),
                        t.plusSeconds(2),
                        "actorType",
                        "user",
                        "actorId",
                        user,
                        "listingId",
                        listing,
                        "paymentIntentId",
                        intent,
                        "amount",
                        500,
                        "currency",
                        "usd"),
                at(
                        with(event("webhook.received", "success"), "service", "webhook-service"),
                        t.plusSeconds(3),
                        "actorType",
                        "stripe",
                        "actorId",
                        "evt_1",
                        "paymentIntentId",
                        intent),
                at(
                        event("payment.succeeded", "success"),
                        t.plusSeconds(4),
                        "actorType",
                        "stripe",
                        "listingId",
                        listing,
                        "paymentIntentId",
                        intent,
                        "amount",
                        500,
                        "currency",
                        "usd"),
                at(event("listing.activated", "success"), t.plusSeconds(5), "listingId", listing),
                at(
                        with(event("refund.requested", "success"), "service", "refund-service"),
                        t.plusSeconds(6),
                        "actorType",
                        "system",
                        "listingId",
                        listing,
                        "paymentIntentId",
                        intent,
                        "refundId",
                        refund,
                        "amount",
                        500,
                        "currency",
                        "usd"),
                at(
                        with(event("refund.processed", "success"), "service", "refund-service"),
                        t.plusSeconds(7),
                        "actorType",
                        "stripe",
                        "refundId",
                        refund,
                        "amount",
                        500,
                        "currency",
                        "usd")));
        List<String> actions =
                events.stream().map(e -> (String) e.get("action")).toList();
        Collections.shuffle(events);
        post(events.subList(0, 4)).statusCode(200);
        post(events.subList(4, events.size())).statusCode(200);
        // Someone else's listing, not part of this trail.
        post(with(
                        event("checkout.attempted", "success"),
                        "listingId",
                        UUID.randomUUID().toString()))
                .statusCode(200);
        return new Flow(listing, intent, refund, user, actions);
    }

    private static Map<String, Object> at(Map<String, Object> event, Instant occurredAt, Object... keyValues) {
        event.put("occurredAt", occurredAt.toString());
        return with(event, keyValues);
    }

    @Test
    void theTrailOfAListingRunsCompleteInTimeOrderFromCheckoutToRefund() {
        Flow flow = flow();

        JsonPath trail = given().header("Authorization", Tokens.admin())
                .queryParam("listingId", flow.listingId)
                .get("/admin/api/audit/trail")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .header("X-Total-Count", "8")
                .body("total", equalTo(8))
                .extract()
                .jsonPath();

        assertThat(trail.getList("entries.action", String.class)).containsExactlyElementsOf(flow.actions);
        assertThat(trail.getList("entries.hash", String.class))
                .allSatisfy(hash -> assertThat(hash).hasSize(64));

        given().header("Authorization", Tokens.admin())
                .queryParam("paymentIntentId", flow.paymentIntentId)
                .get("/admin/api/audit/trail")
                .then()
                .statusCode(200)
                .body(
                        "entries.action",
                        equalTo(List.of(
                                "checkout.succeeded",
                                "webhook.received",
                                "payment.succeeded",
                                "refund.requested",
                                "refund.processed")));
    }

    @Test
    void pagesSplitTheTrailWithoutLosingOrRepeatingEntries() {
        Flow flow = flow();
        List<String> seen = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            JsonPath answer = given().header("Authorization", Tokens.admin())
                    .queryParam("listingId", flow.listingId)
                    .queryParam("page", page)
                    .queryParam("size", 3)
                    .get("/admin/api/audit/trail")
                    .then()
                    .statusCode(200)
                    .body("page", equalTo(page))
                    .body("size", equalTo(3))
                    .body("total", equalTo(8))
                    .extract()
                    .jsonPath();
            seen.addAll(answer.getList("entries.action", String.class));
        }
        assertThat(seen).containsExactlyElementsOf(flow.actions);
        given().header("Authorization", Tokens.admin())
                .queryParam("listingId", flow.listingId)
                .queryParam("page", 3)
                .queryParam("size", 3)
                .get("/admin/api/audit/trail")
                .then()
                .statusCode(200)
                .body("entries.size()", equalTo(0));
    }

    @Test
    void csvExportByFormatOrAcceptIsSafeToOpenInASpreadsheet() {
        String listing = UUID.randomUUID().toString();
        post(with(
                        event("checkout.denied", "denied"),
                        "listingId",
                        listing,
                        "actorType",
                        "user",
                        "actorId",
                        "=HYPERLINK(\"http://evil\",\"x\")",
                        "requestId",
                        "+1+1",
                        "sourceIp",
                        "@SUM(1)",
                        "details",
                        Map.of("reason", "-2, really")))
                .statusCode(200);

        String byFormat = given().header("Authorization", Tokens.admin())
                .queryParam("listingId", listing)
                .queryParam("format", "csv")
                .get("/admin/api/audit/trail")
                .then()
                .statusCode(200)
                .contentType(startsWith("text/csv"))
                .header("X-Total-Count", "1")
                .extract()
                .asString();
        String byAccept = given().header("Authorization", Tokens.admin())
                .accept("text/csv")
                .queryParam("listingId", listing)
                .get("/admin/api/audit/trail")
                .then()
                .statusCode(200)
                .contentType(startsWith("text/csv"))
                .extract()
                .asString();

        for (String csv : List.of(byFormat, byAccept)) {
            String[] lines = csv.split("\r\n");
            assertThat(lines).hasSize(2);
            assertThat(lines[0])
                    .startsWith("seq,id,occurredAt,recordedAt,receivedFrom,service,action,outcome,actorType,actorId");
            assertThat(lines[1])
                    .contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",")
                    .contains(",'+1+1,")
                    .contains(",'@SUM(1),")
                    .contains("\"{\"\"reason\"\":\"\"-2, really\"\"}\"")
                    .contains(",checkout.denied,denied,");
            for (String cell : lines[1].split(",")) {
                assertThat(cell)
                        .doesNotStartWith("=")
                        .doesNotStartWith("+")
                        .doesNotStartWith("@")
                        .doesNotStartWith("-");
            }
        }
        given().header("Authorization", Tokens.admin())
                .accept("application/json")
                .queryParam("listingId", listing)
                .get("/admin/api/audit/trail")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("entries[0].actorId", equalTo("=HYPERLINK(\"http://evil\",\"x\")"));
        given().header("Authorization", Tokens.admin())
                .queryParam("listingId", listing)
                .queryParam("format", "json")
                .get("/admin/api/audit/trail")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("total", equalTo(1));
    }

    @Test
    void userActivityCoversTheLastDaysOnly() {
        String user = UUID.randomUUID().toString();
        post(
                        at(
                                event("checkout.attempted", "success"),
                                Instant.now().minus(2, ChronoUnit.DAYS),
                                "actorType",
                                "user",
                                "actorId",
                                user),
                        at(
                                event("checkout.failed", "failure"),
                                Instant.now().minus(40, ChronoUnit.DAYS),
                                "actorType",
                                "user",
                                "actorId",
                                user),
                        at(
                                with(event("user.banned", "success"), "service", "refund-service"),
                                Instant.now().minus(1, ChronoUnit.DAYS),
                                "actorType",
                                "system",
                                "details",
                                Map.of("userId", user)))
                .statusCode(200);

        given().header("Authorization", Tokens.admin())
                .queryParam("days", 30)
                .get("/admin/api/audit/users/" + user + "/activity")
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("entries.action", equalTo(List.of("user.banned", "checkout.attempted")));
        given().header("Authorization", Tokens.admin())
                .queryParam("days", 60)
                .get("/admin/api/audit/users/" + user + "/activity")
                .then()
                .statusCode(200)
                .body("total", equalTo(3));
    }

    @Test
    void entriesByActionOutcomeAndTime() {
        String actor = UUID.randomUUID().toString();
        Instant base = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        post(
                        at(event("refund.rejected", "denied"), base, "actorType", "admin", "actorId", actor),
                        at(
                                event("refund.rejected", "denied"),
                                base.plusSeconds(60),
                                "actorType",
                                "admin",
                                "actorId",
                                actor),
                        at(
                                event("refund.approved", "success"),
                                base.plusSeconds(120),
                                "actorType",
                                "admin",
                                "actorId",
                                actor),
                        at(
                                event("refund.rejected", "denied"),
                                base.plusSeconds(3600),
                                "actorType",
                                "admin",
                                "actorId",
                                actor))
                .statusCode(200);

        given().header("Authorization", Tokens.admin())
                .queryParam("action", "refund.rejected")
                .queryParam("outcome", "denied")
                .queryParam("actorId", actor)
                .queryParam("from", base.toString())
                .queryParam("to", base.plusSeconds(600).toString())
                .get("/admin/api/audit/entries")
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("entries.occurredAt", equalTo(List.of(base.plusSeconds(60).toString(), base.toString())));
        given().header("Authorization", Tokens.admin())
                .queryParam("actorId", actor)
                .queryParam("outcome", "success")
                .get("/admin/api/audit/entries")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("entries[0].action", equalTo("refund.approved"));
    }

    @Test
    void eachQueryIsItselfAuditedWithWhoAndWhat() {
        Flow flow = flow();
        String admin = UUID.randomUUID().toString();
        String token = Tokens.withGroups(admin, "super_admin");

        given().header("Authorization", token)
                .queryParam("listingId", flow.listingId)
                .queryParam("format", "csv")
                .get("/admin/api/audit/trail")
                .then()
                .statusCode(200);
        given().header("Authorization", token)
                .get("/admin/api/audit/users/" + flow.userId + "/activity")
                .then()
                .statusCode(200);
        given().header("Authorization", token)
                .queryParam("action", "payment.succeeded")
                .get("/admin/api/audit/entries")
                .then()
                .statusCode(200);
        given().header("Authorization", token)
                .get("/admin/api/audit/findings")
                .then()
                .statusCode(200);
        given().header("Authorization", token)
                .get("/admin/api/audit/verify")
                .then()
                .statusCode(200);

        List<Row> accesses = new ArrayList<>();
        pool.preparedQuery("""
                SELECT details ->> 'query' AS query, details ->> 'listingId' AS listing, details ->> 'format' AS format,
                       details ->> 'userId' AS user_id, details ->> 'action' AS action, details ->> 'results' AS results,
                       actor_type, service, outcome, request_id, source_ip
                FROM audit_entry WHERE action = 'audit.accessed' AND actor_id = $1 ORDER BY seq""").execute(Tuple.of(admin)).await().indefinitely().forEach(accesses::add);
        assertThat(accesses)
                .extracting(row -> row.getString("query"))
                .containsExactly("trail", "user-activity", "entries", "findings", "verify");
        Row trail = accesses.get(0);
        assertThat(trail.getString("listing")).isEqualTo(flow.listingId);
        assertThat(trail.getString("format")).isEqualTo("csv");
        assertThat(trail.getString("results")).isEqualTo("8");
        assertThat(trail.getString("actor_type")).isEqualTo("admin");
        assertThat(trail.getString("service")).isEqualTo("audit-service");
        assertThat(trail.getString("request_id")).isNotBlank();
        assertThat(trail.getString("source_ip")).isNotBlank();
        assertThat(accesses.get(1).getString("user_id")).isEqualTo(flow.userId);
        assertThat(accesses.get(2).getString("action")).isEqualTo("payment.succeeded");

        // Access entries are sealed like any other: the chain still verifies.
        given().header("Authorization", Tokens.admin())
                .get("/admin/api/audit/verify")
                .then()
                .statusCode(200)
                .body("intact", equalTo(true));
    }

    @Test
    void badQueriesAreProblems() {
        String admin = Tokens.admin();
        for (var request : List.<Map<String, Object>>of(
                Map.of(),
                Map.of("listingId", "a", "paymentIntentId", "pi_1"),
                Map.of("listingId", "a", "size", 0),
                Map.of("listingId", "a", "size", 100_000),
                Map.of("listingId", "a", "page", -1),
                Map.of("listingId", "a", "format", "xml"))) {
            given().header("Authorization", admin)
                    .queryParams(request)
                    .get("/admin/api/audit/trail")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        given().header("Authorization", admin)
                .queryParam("from", "last week")
                .get("/admin/api/audit/entries")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().header("Authorization", admin)
                .queryParam("days", 0)
                .get("/admin/api/audit/users/u/activity")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().header("Authorization", admin)
                .accept("application/xml")
                .queryParam("listingId", "a")
                .get("/admin/api/audit/trail")
                .then()
                .statusCode(406)
                .contentType("application/problem+json");
    }
}
