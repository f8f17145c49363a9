package org.villagehomepage.payments.audit.intake;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.villagehomepage.payments.audit.AuditApi.event;
import static org.villagehomepage.payments.audit.AuditApi.post;
import static org.villagehomepage.payments.audit.AuditApi.with;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.audit.AuditApi;
import org.villagehomepage.payments.audit.PanScan;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.Tokens;

@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
class IntakeTest {

    private static final String VISA = "4242424242424242";
    private static final String MASTERCARD_SPACED = "5555 5555 5555 4444";
    private static final String AMEX_DASHED = "3782-822463-10005";

    @Inject
    Pool pool;

    @Inject
    ObjectMapper json;

    @Test
    void storesTheContractsAuditEventWithEveryField() throws Exception {
        UUID id = UUID.randomUUID();
        AuditEvent sent = new AuditEvent(
                id,
                Instant.parse("2026-01-02T03:04:05.123456Z"),
                "refund-service",
                "refund.processed",
                "success",
                "stripe",
                "evt_1",
                "listing-1",
                "pi_123",
                "refund-9",
                500L,
                "usd",
                "req-1",
                "203.0.113.9",
                Map.of("reason", "moderation_rejection"));
        given().header("Authorization", Tokens.service(ServiceNames.REFUND, ServiceNames.AUDIT))
                .contentType("application/json")
                .body(json.writeValueAsString(Map.of("events", List.of(sent))))
                .post("/internal/audit/events")
                .then()
                .statusCode(200)
                .body("received", equalTo(1))
                .body("stored", equalTo(1))
                .body("duplicates", equalTo(0));

        Row row = one("SELECT *, details ->> 'reason' AS reason FROM audit_entry WHERE id = $1", id);
        assertThat(row.getOffsetDateTime("occurred_at").toInstant()).isEqualTo(sent.occurredAt());
        assertThat(row.getString("service")).isEqualTo("refund-service");
        assertThat(row.getString("action")).isEqualTo("refund.processed");
        assertThat(row.getString("outcome")).isEqualTo("success");
        assertThat(row.getString("actor_type")).isEqualTo("stripe");
        assertThat(row.getString("actor_id")).isEqualTo("evt_1");
        assertThat(row.getString("listing_id")).isEqualTo("listing-1");
        assertThat(row.getString("payment_intent_id")).isEqualTo("pi_123");
        assertThat(row.getString("refund_id")).isEqualTo("refund-9");
        assertThat(row.getLong("amount")).isEqualTo(500L);
        assertThat(row.getString("currency")).isEqualTo("usd");
        assertThat(row.getString("request_id")).isEqualTo("req-1");
        assertThat(row.getString("source_ip")).isEqualTo("203.0.113.9");
        assertThat(row.getString("reason")).isEqualTo("moderation_rejection");
        assertThat(row.getString("received_from")).isEqualTo("refund-service");
        assertThat(row.getBuffer("hash").length()).isEqualTo(32);
    }

    @Test
    void duplicatesInABatchAndAcrossBatchesAreStoredOnce() {
        double storedBefore = AuditApi.metric("homepage_audit_events_stored_total{service=\"checkout-service\"}");
        Map<String, Object> a = event("checkout.attempted", "success");
        Map<String, Object> b = event("checkout.succeeded", "success");
        Map<String, Object> c = event("payment.succeeded", "success");

        post(a, a, b)
                .statusCode(200)
                .body("received", equalTo(3))
                .body("stored", equalTo(2))
                .body("duplicates", equalTo(1));
        post(a, b, c).statusCode(200).body("stored", equalTo(1)).body("duplicates", equalTo(2));
        post(a).statusCode(200).body("stored", equalTo(0)).body("duplicates", equalTo(1));

        for (Map<String, Object> event : List.of(a, b, c)) {
            assertThat(count("SELECT count(*) FROM audit_entry WHERE id = $1", UUID.fromString((String)
                            event.get("id"))))
                    .isEqualTo(1);
        }
        assertThat(AuditApi.metric("homepage_audit_events_stored_total{service=\"checkout-service\"}") - storedBefore)
                .isEqualTo(3.0);
    }

    @Test
    void concurrentDeliveriesStoreEachEventOnceOnAGaplessChain() {
        List<Map<String, Object>> shared = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            shared.add(event("webhook.received", "success"));
        }
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                List<Map<String, Object>> batch = new ArrayList<>(shared);
                batch.add(event("webhook.dispatched", "success"));
                calls.add(CompletableFuture.runAsync(() -> post(batch).statusCode(200), threads));
            }
            calls.forEach(CompletableFuture::join);
        } finally {
            threads.shutdown();
        }

        UUID[] ids =
                shared.stream().map(e -> UUID.fromString((String) e.get("id"))).toArray(UUID[]::new);
        assertThat(count("SELECT count(*) FROM audit_entry WHERE id = ANY($1)", (Object) ids))
                .isEqualTo(20);
        Row chain = one("""
                SELECT count(*) AS entries, count(DISTINCT seq) AS seqs, max(seq) AS last,
                       (SELECT last_seq - pruned_through_seq FROM chain_head) AS head
                FROM audit_entry""");
        assertThat(chain.getLong("seqs")).isEqualTo(chain.getLong("entries"));
        assertThat(chain.getLong("last")).isEqualTo(chain.getLong("entries"));
        assertThat(chain.getLong("head")).isEqualTo(chain.getLong("entries"));
    }

    /** Issue 13.10: money is integer minor units; 5.5, "5", 5e0 and 5.0 are refused, never rounded or coerced. */
    @Test
    void moneyTakesIntegerMinorUnitsOnly() throws Exception {
        for (String amount : List.of("5.5", "\"5\"", "5e0", "5.0", "true")) {
            Map<String, Object> event =
                    with(event("checkout.attempted", "success"), "amount", 123456789L, "currency", "usd");
            String body =
                    json.writeValueAsString(Map.of("events", List.of(event))).replace("123456789", amount);
            given().header("Authorization", Tokens.service(ServiceNames.CHECKOUT, ServiceNames.AUDIT))
                    .contentType("application/json")
                    .body(body)
                    .post("/internal/audit/events")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.endsWith("validation"));
            assertThat(count("SELECT count(*) FROM audit_entry WHERE id = $1", UUID.fromString((String)
                            event.get("id"))))
                    .as(amount)
                    .isZero();
        }
        Map<String, Object> whole = with(event("checkout.attempted", "success"), "amount", 5L, "currency", "usd");
        post(whole).statusCode(200);
    }

    @Test
    void invalidEventsAreRefusedWholeAndNothingIsStored() {
        Map<String, Object> good = event("checkout.attempted", "success");
        List<Map<String, Object>> bad = List.of(
                without(event("checkout.attempted", "success"), "id"),
                without(event("checkout.attempted", "success"), "occurredAt"),
                without(event("checkout.attempted", "success"), "service"),
                without(event("checkout.attempted", "success"), "action"),
                without(event("checkout.attempted", "success"), "outcome"),
                event("checkout.attempted", "maybe"),
                event("not an action", "success"),
                with(event("checkout.attempted", "success"), "actorType", "robot"),
                with(event("checkout.attempted", "success"), "amount", -1, "currency", "usd"),
                with(event("checkout.attempted", "success"), "amount", 500),
                with(event("checkout.attempted", "success"), "currency", "USD"),
                with(event("checkout.attempted", "success"), "amount", 5.5, "currency", "usd"),
                with(event("checkout.attempted", "success"), "unknownField", "x"),
                with(event("checkout.attempted", "success"), "id", "not-a-uuid"),
                with(event("checkout.attempted", "success"), "occurredAt", "yesterday"),
                with(
                        event("checkout.attempted", "success"),
                        "occurredAt",
                        Instant.now().plus(2, ChronoUnit.DAYS).toString()),
                with(event("checkout.attempted", "success"), "actorId", "x".repeat(201)));
        for (Map<String, Object> event : bad) {
            io.restassured.response.Response answer =
                    post(good, event).extract().response();
            assertThat(answer.statusCode()).as("answer to %s", event).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        }
        given().header("Authorization", Tokens.service(ServiceNames.CHECKOUT, ServiceNames.AUDIT))
                .contentType("application/json")
                .body("{\"events\":[]}")
                .post("/internal/audit/events")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().header("Authorization", Tokens.service(ServiceNames.CHECKOUT, ServiceNames.AUDIT))
                .contentType("application/json")
                .body("{\"events\":")
                .post("/internal/audit/events")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().header("Authorization", Tokens.service(ServiceNames.CHECKOUT, ServiceNames.AUDIT))
                .contentType("application/json")
                .body("{}")
                .post("/internal/audit/events")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        assertThat(count("SELECT count(*) FROM audit_entry WHERE id = $1", UUID.fromString((String) good.get("id"))))
                .isZero();
    }

    @Test
    void panShapedInputInEveryFieldIsRedactedAndNothingLuhnValidIsLeftInTheTable() {
        double pansBefore = AuditApi.metric("homepage_audit_redactions_total{kind=\"pan\"}");
        double secretsBefore = AuditApi.metric("homepage_audit_redactions_total{kind=\"client_secret\"}");
        Map<String, String> details = new HashMap<>();
        details.put("note", "customer typed " + VISA + " into the title");
        details.put(MASTERCARD_SPACED, "a card as a key");
        details.put("cvc", "123");
        details.put("clientSecret", "pi_3Abc_secret_Xyz");
        details.put("raw", "pi_3Abc_secret_Xyz and sk_live_abcdef123456 and t=1492774577,v1=5257a869e7ec");
        Map<String, Object> event = with(
                event("checkout.failed", "failure"),
                "actorType",
                "user",
                "actorId",
                VISA,
                "listingId",
                "listing " + MASTERCARD_SPACED,
                "paymentIntentId",
                AMEX_DASHED,
                "refundId",
                "r-" + VISA,
                "requestId",
                "req " + AMEX_DASHED,
                "sourceIp",
                VISA,
                "amount",
                500L,
                "currency",
                "usd",
                "details",
                details);

        post(event).statusCode(200).body("stored", equalTo(1));

        Row row = one("SELECT * FROM audit_entry WHERE id = $1", UUID.fromString((String) event.get("id")));
        assertThat(row.getString("actor_id")).isEqualTo("[REDACTED:pan]");
        assertThat(row.getString("listing_id")).isEqualTo("listing [REDACTED:pan]");
        assertThat(row.getString("payment_intent_id")).isEqualTo("[REDACTED:pan]");
        assertThat(row.getString("refund_id")).isEqualTo("r-[REDACTED:pan]");
        assertThat(row.getString("request_id")).isEqualTo("req [REDACTED:pan]");
        assertThat(row.getString("source_ip")).isEqualTo("[REDACTED:pan]");
        String stored = row.getValue("details").toString();
        assertThat(stored)
                .contains(
                        "[REDACTED:pan]",
                        "[REDACTED:cvc]",
                        "[REDACTED:client_secret]",
                        "[REDACTED:api_key]",
                        "[REDACTED:signature]")
                .doesNotContain("pi_3Abc_secret", "sk_live_", "v1=");
        assertThat(AuditApi.metric("homepage_audit_redactions_total{kind=\"pan\"}") - pansBefore)
                .isEqualTo(8.0);
        assertThat(AuditApi.metric("homepage_audit_redactions_total{kind=\"client_secret\"}") - secretsBefore)
                .isEqualTo(2.0);

        // Fields with a fixed shape refuse a card number outright.
        for (String field : List.of("service", "action", "outcome", "actorType", "currency")) {
            Map<String, Object> refused = with(event("checkout.failed", "failure"), field, VISA);
            post(refused).statusCode(400);
            assertThat(count("SELECT count(*) FROM audit_entry WHERE id = $1", UUID.fromString((String)
                            refused.get("id"))))
                    .isZero();
        }
        // Amounts are capped at 12 digits, so a card number can never be an amount.
        post(with(event("checkout.failed", "failure"), "amount", Long.parseLong(VISA), "currency", "usd"))
                .statusCode(400);

        assertNothingLuhnValidInAnyTextColumn();
    }

    /** Scans every text-like column of every stored entry, whoever wrote it. */
    private void assertNothingLuhnValidInAnyTextColumn() {
        List<String> columns = new ArrayList<>();
        for (Row column : pool.query("""
                SELECT column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'audit_entry'
                  AND data_type IN ('text', 'character varying', 'jsonb', 'json')""").execute().await().indefinitely()) {
            columns.add(column.getString("column_name"));
        }
        assertThat(columns).contains("actor_id", "listing_id", "details", "source_ip", "service");
        long scanned = 0;
        for (String column : columns) {
            for (Row row : pool.query(
                            "SELECT " + column + "::text AS v FROM audit_entry WHERE " + column + " IS NOT NULL")
                    .execute()
                    .await()
                    .indefinitely()) {
                scanned++;
                assertThat(PanScan.luhnValidRuns(row.getString("v")))
                        .as("column %s", column)
                        .isEmpty();
            }
        }
        assertThat(scanned).isPositive();
    }

    private static Map<String, Object> without(Map<String, Object> event, String field) {
        event.remove(field);
        return event;
    }

    private long count(String sql, Object... args) {
        return one(sql, args).getLong(0);
    }

    private Row one(String sql, Object... args) {
        RowSet<Row> rows =
                pool.preparedQuery(sql).execute(Tuple.from(args)).await().indefinitely();
        assertThat(rows.size()).as(sql).isEqualTo(1);
        return rows.iterator().next();
    }
}
