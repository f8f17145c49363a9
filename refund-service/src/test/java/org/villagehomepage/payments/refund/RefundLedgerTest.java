package org.villagehomepage.payments.refund;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.StripeClient;
import com.stripe.model.Charge;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentRetrieveParams;
import com.stripe.param.RefundListParams;
import com.stripe.param.RefundUpdateParams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;
import org.villagehomepage.payments.refund.review.StuckRefundRecovery;

/**
 * Issue 13's refund ledger defects, end to end over the emulator (its asynchronous refund failures
 * and Dashboard refunds) with the effects counted in Postgres.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class RefundLedgerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    StripeClient stripe;

    @Inject
    Pool pool;

    @Inject
    TestClock clock;

    @Inject
    StuckRefundRecovery recovery;

    record Paid(String paymentIntentId, String chargeId, Instant paidAt, UUID userId, UUID listingId) {}

    @AfterEach
    void tidy() {
        clock.release();
        StripeEmulatorResource.emulator().faults().clear();
    }

    /** Issue 13.1: R1 fails, the retry's R2 succeeds; nothing about R1 may move the request again. */
    @Test
    void anOlderFailedStripeRefundNeverMovesARequestItsRetryProcessed() throws Exception {
        Paid paid = pay(UUID.randomUUID(), 600);
        clock.pin(paid.paidAt().plus(Duration.ofDays(2)));
        UUID id = UUID.randomUUID();
        internalRefund(automatic(id, paid, 600, "technical_failure"))
                .then()
                .statusCode(202)
                .body("status", equalTo("pending"));
        approve(id).then().statusCode(200).body("status", equalTo("processed"));
        String r1 = stripeRefundId(id);

        // R1 fails at Stripe later; its refund.updated fails the request and releases the reservation
        emulatorPost("/_emulator/refunds/" + r1 + "/fail", "{}");
        deliverAll(eventsOfRefund("refund.updated", r1));
        Row failed = TestData.one(pool, "SELECT status, reserved FROM refund_request WHERE id = $1", id);
        assertThat(failed.getString("status")).isEqualTo("failed");
        assertThat(failed.getBoolean("reserved")).isFalse();
        assertThat(reserved(paid)).isZero();

        // the admin retries: R2 succeeds
        given().header("Authorization", Tokens.admin())
                .post("/admin/api/marketplace/refunds/" + id + "/retry")
                .then()
                .statusCode(200)
                .body("status", equalTo("processed"));
        String r2 = stripeRefundId(id);
        assertThat(r2).isNotEqualTo(r1);

        // R2's charge.refunded lists R1 (failed); R1's own charge.refunded comes late; so does another refund.updated
        // of R1
        stripe.v1()
                .refunds()
                .update(
                        r1,
                        RefundUpdateParams.builder().putMetadata("note", "late").build());
        deliverAll(events("charge.refunded", paid.paymentIntentId()));
        deliverAll(eventsOfRefund("refund.updated", r1));

        Row after =
                TestData.one(pool, "SELECT status, reserved, stripe_refund_id FROM refund_request WHERE id = $1", id);
        assertThat(after.getString("status")).isEqualTo("processed");
        assertThat(after.getString("stripe_refund_id")).isEqualTo(r2);
        assertThat(after.getBoolean("reserved")).isTrue();
        assertThat(reserved(paid))
                .as("the money went back once: R2's amount stays reserved")
                .isEqualTo(600);
        assertThat(TestData.auditRecords(pool, "refund.failed", id)).isEqualTo(1);
        assertThat(stripeRefunds(paid.paymentIntentId()))
                .extracting(Refund::getStatus)
                .containsExactlyInAnyOrder("failed", "succeeded");
    }

    /**
     * Stripe's asynchronous refund failure card (4000 0000 0000 5126): the refund is answered
     * succeeded, then its refund.updated says failed; the request fails and its reservation goes back.
     */
    @Test
    void aRefundOfTheRefundFailCardFailsTheRequestOnceItsFailureArrives() throws Exception {
        Paid paid = pay(UUID.randomUUID(), 800, "refund_fail");
        clock.pin(paid.paidAt().plus(Duration.ofHours(1)));
        UUID id = UUID.randomUUID();
        internalRefund(automatic(id, paid, 800, "moderation_rejection")).then().statusCode(202);
        for (int i = 0;
                i < 300
                        && !"processed"
                                .equals(TestData.one(pool, "SELECT status FROM refund_request WHERE id = $1", id)
                                        .getString("status"));
                i++) {
            Thread.sleep(100);
        }
        String refundId = stripeRefundId(id);
        assertThat(refundId).as("answered succeeded, so first processed").isNotNull();
        assertThat(stripe.v1().refunds().retrieve(refundId).getStatus()).isEqualTo("failed");

        deliverAll(eventsOfRefund("refund.updated", refundId));
        deliverAll(events("charge.refunded", paid.paymentIntentId()));
        Row failed = TestData.one(pool, "SELECT status, reserved, failure FROM refund_request WHERE id = $1", id);
        assertThat(failed.getString("status")).isEqualTo("failed");
        assertThat(failed.getBoolean("reserved")).isFalse();
        assertThat(failed.getString("failure")).isEqualTo("refused by stripe: refund failed");
        assertThat(reserved(paid)).isZero();
        assertThat(TestData.auditRecords(pool, "refund.failed", id)).isEqualTo(1);
    }

    /**
     * Issue 13.2: event A read a Dashboard refund as succeeded, then waited (here: on its inbox row,
     * held by the test); meanwhile the refund failed and event B committed. A must decide on what it
     * reads under the lock, not on its earlier read.
     */
    @Test
    void anEventDecidesOnWhatItReadsUnderTheLockNotOnAnEarlierRead() throws Exception {
        Paid paid = pay(UUID.randomUUID(), 1000);
        String refundId = emulatorPost(
                        "/_emulator/dashboard/refunds",
                        "{\"payment_intent\":\"" + paid.paymentIntentId() + "\",\"amount\":300}")
                .path("id")
                .asText();
        JsonNode created = eventsOfRefund("refund.created", refundId).get(0);
        String messageA = "test-" + UUID.randomUUID();

        SqlConnection holder = pool.getConnection().await().indefinitely();
        Transaction tx = holder.begin().await().indefinitely();
        CompletableFuture<Integer> eventA;
        try {
            holder.preparedQuery("INSERT INTO processed_message (sender, message_id) VALUES ('webhook-service', $1)")
                    .execute(Tuple.of(messageA))
                    .await()
                    .indefinitely();
            eventA = CompletableFuture.supplyAsync(
                    () -> given().header("Authorization", Tokens.service(ServiceNames.WEBHOOK, ServiceNames.REFUND))
                            .header("X-Message-Id", messageA)
                            .contentType("application/json")
                            .body(created.toString())
                            .post("/internal/stripe-events")
                            .then()
                            .extract()
                            .statusCode());
            awaitWaitingOnALock("processed_message");

            emulatorPost("/_emulator/refunds/" + refundId + "/fail", "{}");
            deliverAll(eventsOfRefund("refund.updated", refundId));
        } finally {
            tx.rollback().await().indefinitely();
            holder.close().await().indefinitely();
        }
        assertThat(eventA.get()).isEqualTo(200);

        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM refund_request WHERE stripe_refund_id = $1 AND status = 'processed'",
                        refundId))
                .as("a refund that failed is never recorded as processed")
                .isZero();
        assertThat(TestData.count(
                        pool,
                        "SELECT coalesce(sum(refunded_externally), 0) FROM refund_payment WHERE payment_intent_id = $1",
                        paid.paymentIntentId()))
                .isZero();
    }

    /** Issue 13.3: a Dashboard refund recorded as processed fails later: what it added is given back. */
    @Test
    void aDashboardRefundThatFailsGivesBackWhatItAddedToRefundedExternally() throws Exception {
        Paid paid = pay(UUID.randomUUID(), 1000);
        String refundId = emulatorPost(
                        "/_emulator/dashboard/refunds",
                        "{\"payment_intent\":\"" + paid.paymentIntentId() + "\",\"amount\":200}")
                .path("id")
                .asText();
        deliverAll(eventsOfRefund("refund.created", refundId));
        assertThat(TestData.one(pool, "SELECT status FROM refund_request WHERE stripe_refund_id = $1", refundId)
                        .getString("status"))
                .isEqualTo("processed");
        assertThat(refundedExternally(paid)).isEqualTo(200);

        emulatorPost("/_emulator/refunds/" + refundId + "/fail", "{}");
        deliverAll(eventsOfRefund("refund.updated", refundId));
        deliverAll(events("charge.refunded", paid.paymentIntentId()));
        assertThat(TestData.one(pool, "SELECT status FROM refund_request WHERE stripe_refund_id = $1", refundId)
                        .getString("status"))
                .isEqualTo("failed");
        assertThat(refundedExternally(paid)).isZero();
        // the whole payment is refundable again
        given().header("Authorization", Tokens.user(paid.userId()))
                .contentType("application/json")
                .body("{\"paymentIntentId\":\"" + paid.paymentIntentId() + "\"}")
                .post("/api/marketplace/refunds")
                .then()
                .statusCode(201)
                .body("amount", equalTo(1000));
    }

    /**
     * Issue 13.4: 50 requests whose refunds stay pending at Stripe must not hide a request a crash
     * left approved, and a pending one is not asked about again on every run.
     */
    @Test
    void recoveryGetsThroughEveryStuckRequestAndBoundsItsStripeCalls() throws Throwable {
        Paid slow = pay(UUID.randomUUID(), 5000, "refund_pending");
        clock.pin(slow.paidAt().plus(Duration.ofHours(1)));
        for (int i = 0; i < 50; i++) {
            internalRefund(automatic(UUID.randomUUID(), slow, 100, "moderation_rejection"))
                    .then()
                    .statusCode(202);
        }
        for (int i = 0; i < 600 && stripeRefunds(slow.paymentIntentId()).size() < 50; i++) {
            Thread.sleep(100);
        }
        assertThat(stripeRefunds(slow.paymentIntentId()))
                .hasSize(50)
                .allMatch(r -> r.getStatus().equals("pending"));
        clock.release();

        Paid paid = pay(UUID.randomUUID(), 400);
        clock.pin(paid.paidAt().plus(Duration.ofDays(2)));
        UUID crashed = UUID.randomUUID();
        internalRefund(automatic(crashed, paid, 400, "technical_failure"))
                .then()
                .statusCode(202)
                .body("status", equalTo("pending"));
        clock.release();
        // the 50 pending ones are the oldest; the crash left this one approved after them
        TestData.count(
                pool,
                "WITH u AS (UPDATE refund_request SET updated_at = now() - interval '2 hours' WHERE payment_intent_id = $1 AND status = 'approved' RETURNING 1) SELECT count(*) FROM u",
                slow.paymentIntentId());
        TestData.count(
                pool,
                "WITH u AS (UPDATE refund_request SET status = 'approved', reserved = true, updated_at = now() - interval '1 hour' WHERE id = $1 RETURNING 1) SELECT count(*) FROM u",
                crashed);
        TestData.count(
                pool,
                "WITH u AS (UPDATE refund_payment SET reserved = reserved + 400 WHERE payment_intent_id = $1 RETURNING 1) SELECT count(*) FROM u",
                paid.paymentIntentId());

        List<Integer> driven = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            driven.add(VertxContextSupport.subscribeAndAwait(() -> recovery.recover()));
        }
        assertThat(TestData.one(pool, "SELECT status FROM refund_request WHERE id = $1", crashed)
                        .getString("status"))
                .as("the crash-left request is reached although 50 older ones stay pending")
                .isEqualTo("processed");
        assertThat(driven).as("each run is bounded").allMatch(n -> n <= 50);
        assertThat(driven.get(2))
                .as("pending refunds just checked are not asked about again at once")
                .isZero();
        assertThat(driven.stream().mapToInt(Integer::intValue).sum()).isEqualTo(51);
        assertThat(stripeRefunds(slow.paymentIntentId())).hasSize(50);
    }

    /** Issue 13.10: refund amounts are integer minor units; 5.5 is not 5, "5" and 5e0 are not numbers of cents. */
    @Test
    void refundAmountsTakeIntegerMinorUnitsOnly() throws Exception {
        Paid paid = pay(UUID.randomUUID(), 1000);
        for (String amount : List.of("5.5", "\"5\"", "5e0", "5.0")) {
            given().header("Authorization", Tokens.user(paid.userId()))
                    .contentType("application/json")
                    .body("{\"paymentIntentId\":\"" + paid.paymentIntentId() + "\",\"amount\":" + amount + "}")
                    .post("/api/marketplace/refunds")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
            internalRefund(automatic(UUID.randomUUID(), paid, 777, "technical_failure")
                            .replace("777", amount))
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM refund_request WHERE payment_intent_id = $1",
                        paid.paymentIntentId()))
                .isZero();
        assertThat(stripeRefunds(paid.paymentIntentId())).isEmpty();
    }

    // --- helpers -------------------------------------------------------------------------------

    long refundedExternally(Paid paid) {
        return TestData.count(
                pool,
                "SELECT refunded_externally FROM refund_payment WHERE payment_intent_id = $1",
                paid.paymentIntentId());
    }

    /** Waits (bounded) until a backend of this service waits on a lock in a statement naming {@code table}. */
    void awaitWaitingOnALock(String table) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (TestData.count(
                            pool,
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1",
                            "%" + table + "%")
                    > 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no statement on " + table + " waits on a lock after 30 s");
    }

    Paid pay(UUID user, long amount) throws Exception {
        return pay(user, amount, "success");
    }

    Paid pay(UUID user, long amount, String card) throws Exception {
        UUID listing = UUID.randomUUID();
        PaymentIntent intent = stripe.v1()
                .paymentIntents()
                .create(
                        PaymentIntentCreateParams.builder()
                                .setAmount(amount)
                                .setCurrency("usd")
                                .putMetadata("user_id", user.toString())
                                .putMetadata("listing_id", listing.toString())
                                .putMetadata("payment_type", "posting_fee")
                                .putMetadata("payment_id", UUID.randomUUID().toString())
                                .build(),
                        RequestOptions.builder()
                                .setIdempotencyKey(UUID.randomUUID().toString())
                                .build());
        emulatorPost("/_emulator/payment_intents/" + intent.getId() + "/pay", "{\"card\":\"" + card + "\"}");
        PaymentIntent paid = stripe.v1()
                .paymentIntents()
                .retrieve(
                        intent.getId(),
                        PaymentIntentRetrieveParams.builder()
                                .addExpand("latest_charge")
                                .build());
        Charge charge = paid.getLatestChargeObject();
        assertThat(paid.getStatus()).isEqualTo("succeeded");
        return new Paid(intent.getId(), charge.getId(), Instant.ofEpochSecond(charge.getCreated()), user, listing);
    }

    long reserved(Paid paid) {
        return TestData.count(
                pool, "SELECT reserved FROM refund_payment WHERE payment_intent_id = $1", paid.paymentIntentId());
    }

    String stripeRefundId(UUID id) {
        return TestData.one(pool, "SELECT stripe_refund_id FROM refund_request WHERE id = $1", id)
                .getString("stripe_refund_id");
    }

    List<Refund> stripeRefunds(String paymentIntentId) throws Exception {
        return stripe.v1()
                .refunds()
                .list(RefundListParams.builder()
                        .setPaymentIntent(paymentIntentId)
                        .setLimit(100L)
                        .build())
                .getData();
    }

    static Response approve(UUID id) {
        return given().header("Authorization", Tokens.admin())
                .contentType("application/json")
                .body("{}")
                .post("/admin/api/marketplace/refunds/" + id + "/approve");
    }

    static String automatic(UUID id, Paid paid, long amount, String reason) {
        return """
                {"id":"%s","paymentIntentId":"%s","listingId":"%s","userId":"%s","amount":%d,"currency":"usd",
                 "reason":"%s","paidAt":"%s"}""".formatted(
                        id, paid.paymentIntentId(), paid.listingId(), paid.userId(), amount, reason, paid.paidAt());
    }

    static Response internalRefund(String body) {
        return given().header("Authorization", Tokens.service(ServiceNames.CHECKOUT, ServiceNames.REFUND))
                .contentType("application/json")
                .body(body)
                .post("/internal/refunds");
    }

    static Response deliver(JsonNode event) {
        return given().header("Authorization", Tokens.service(ServiceNames.WEBHOOK, ServiceNames.REFUND))
                .contentType("application/json")
                .body(event.toString())
                .post("/internal/stripe-events");
    }

    /** Oldest first, as Stripe sent them. */
    static void deliverAll(List<JsonNode> events) {
        for (JsonNode event : events.reversed()) {
            deliver(event).then().statusCode(200);
        }
    }

    /** The emulator's events of a type that concern one PaymentIntent, newest first. */
    static List<JsonNode> events(String type, String paymentIntentId) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode event :
                JSON.readTree(emulatorGet("/v1/events?limit=100&type=" + type)).path("data")) {
            if (paymentIntentId.equals(
                    event.path("data").path("object").path("payment_intent").asText())) {
                found.add(event);
            }
        }
        return found;
    }

    /** The emulator's events of a type about one refund, newest first. */
    static List<JsonNode> eventsOfRefund(String type, String refundId) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode event :
                JSON.readTree(emulatorGet("/v1/events?limit=100&type=" + type)).path("data")) {
            if (refundId.equals(event.path("data").path("object").path("id").asText())) {
                found.add(event);
            }
        }
        return found;
    }

    static String emulatorGet(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(StripeEmulatorResource.emulator().apiBase() + path))
                .header("Authorization", "Bearer sk_test_emulator")
                .GET()
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    static JsonNode emulatorPost(String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(StripeEmulatorResource.emulator().apiBase() + path))
                .header("Authorization", "Bearer sk_test_emulator")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
