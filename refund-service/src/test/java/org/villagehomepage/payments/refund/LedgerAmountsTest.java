package org.villagehomepage.payments.refund;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;

/** What webhook-service's amount reconciliation reads from the refund ledger. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class LedgerAmountsTest {

    @Inject
    Pool pool;

    @Test
    void processedRefundsAndChargebacksPerIntent() {
        String refunded = TestData.newId("pi");
        String disputed = TestData.newId("pi");
        String untouched = TestData.newId("pi");
        UUID user = UUID.randomUUID();
        TestData.knownPayment(pool, refunded, TestData.newId("ch"), user, 1000);
        TestData.knownPayment(pool, disputed, TestData.newId("ch"), user, 500);
        TestData.knownPayment(pool, untouched, TestData.newId("ch"), user, 300);
        request(refunded, 400, "processed", "user_request");
        request(refunded, 100, "processed", "user_request");
        request(refunded, 200, "failed", "user_request"); // never reached Stripe: not refunded
        pool.preparedQuery("""
                INSERT INTO chargeback (dispute_id, charge_id, payment_intent_id, user_id, amount, currency, status, created_at)
                VALUES ($1, 'ch_x', $2, $3, 500, 'usd', 'needs_response', now())""")
                .execute(Tuple.of(TestData.newId("dp"), disputed, user))
                .await()
                .indefinitely();

        Response answer = given().header("Authorization", Tokens.service("webhook-service", "refund-service"))
                .contentType("application/json")
                .body(Map.of("paymentIntentIds", List.of(refunded, disputed, untouched)))
                .post("/internal/ledger/amounts");
        answer.then().statusCode(200);
        List<Map<String, Object>> rows = answer.jsonPath().getList("$");
        assertThat(rows).hasSize(2);
        assertThat(rows).anySatisfy(row -> {
            assertThat(row.get("paymentIntentId")).isEqualTo(refunded);
            assertThat(((Number) row.get("refunded")).longValue()).isEqualTo(500);
            assertThat(((Number) row.get("disputed")).longValue()).isZero();
        });
        assertThat(rows).anySatisfy(row -> {
            assertThat(row.get("paymentIntentId")).isEqualTo(disputed);
            assertThat(((Number) row.get("disputed")).longValue()).isEqualTo(500);
        });

        given().header("Authorization", Tokens.user(user))
                .contentType("application/json")
                .body(Map.of("paymentIntentIds", List.of(refunded)))
                .post("/internal/ledger/amounts")
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(401, 403));
    }

    private void request(String pi, long amount, String status, String reason) {
        pool.preparedQuery("""
                INSERT INTO refund_request (id, payment_intent_id, amount, currency, reason, origin, status, requested_by,
                    created_at, updated_at) VALUES ($1, $2, $3, 'usd', $4, 'user', $5, 'test', $6, $6)""")
                .execute(Tuple.tuple(
                        List.of(UUID.randomUUID(), pi, amount, reason, status, OffsetDateTime.now(ZoneOffset.UTC))))
                .await()
                .indefinitely();
    }

    @Test
    void adminReadsOfRefundsAreAudited() {
        String admin = UUID.randomUUID().toString();
        given().header("Authorization", Tokens.withGroups(admin, "super_admin"))
                .queryParam("status", "processed")
                .get("/admin/api/marketplace/refunds")
                .then()
                .statusCode(200);
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM outbox_message WHERE destination = 'audit' "
                                + "AND payload::jsonb -> 'events' -> 0 ->> 'action' = 'admin.read' "
                                + "AND payload::jsonb -> 'events' -> 0 ->> 'actorId' = $1 "
                                + "AND payload::jsonb -> 'events' -> 0 -> 'details' ->> 'query.status' = 'processed'",
                        admin))
                .isEqualTo(1);
        // a refused read (not an admin) records nothing
        given().header("Authorization", Tokens.user(UUID.fromString(admin)))
                .get("/admin/api/marketplace/refunds")
                .then()
                .statusCode(403);
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM outbox_message WHERE destination = 'audit' "
                                + "AND payload::jsonb -> 'events' -> 0 ->> 'action' = 'admin.read' "
                                + "AND payload::jsonb -> 'events' -> 0 ->> 'actorId' = $1",
                        admin))
                .isEqualTo(1);
    }
}
