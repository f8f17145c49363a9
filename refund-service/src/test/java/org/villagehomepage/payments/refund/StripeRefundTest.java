package org.villagehomepage.payments.refund;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.StripeClient;
import com.stripe.model.Charge;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentRetrieveParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.RefundListParams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;
import org.villagehomepage.payments.emulator.FaultSettings.EndpointFault;

/** The workflows that reach Stripe, against the in-process stripe-emulator and real Postgres. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class StripeRefundTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Inject
    StripeClient stripe;

    @Inject
    Pool pool;

    @Inject
    TestClock clock;

    @Inject
    org.villagehomepage.payments.refund.review.StuckRefundRecovery recovery;

    record Paid(String paymentIntentId, String chargeId, Instant paidAt, UUID userId, UUID listingId) {}

    @AfterEach
    void tidy() {
        clock.release();
        StripeEmulatorResource.emulator().faults().clear();
    }

    @Test
    void noServiceButCheckoutCanRequestAnAutomaticRefund() throws Exception {
        Paid paid = pay(UUID.randomUUID(), 500);
        clock.pin(paid.paidAt().plus(Duration.ofHours(1)));
        UUID id = UUID.randomUUID();
        String body = automatic(id, paid, 500, "moderation_rejection");
        List<String> forged = List.of(
                Tokens.service(ServiceNames.AUDIT, ServiceNames.REFUND),
                Tokens.service(ServiceNames.WEBHOOK, ServiceNames.REFUND),
                Tokens.service(ServiceNames.CHECKOUT, ServiceNames.AUDIT), // checkout's token for another receiver
                Tokens.serviceSignedWith(
                        ServiceNames.CHECKOUT,
                        ServiceNames.REFUND,
                        org.villagehomepage.payments.common.testing.TestKeys.service(ServiceNames.AUDIT)
                                .getPrivate()),
                Tokens.serviceFromUserIdp(ServiceNames.CHECKOUT, ServiceNames.REFUND),
                Tokens.admin());
        for (String token : forged) {
            given().header("Authorization", token)
                    .contentType("application/json")
                    .body(body)
                    .post("/internal/refunds")
                    .then()
                    .statusCode(org.hamcrest.Matchers.oneOf(401, 403))
                    .contentType("application/problem+json");
        }
        assertThat(TestData.count(pool, "SELECT count(*) FROM refund_request WHERE id = $1", id))
                .isZero();
        assertThat(stripeRefunds(paid.paymentIntentId())).isEmpty();
    }

    @Test
    void automaticRequestAtTheEndOfTheWindowIsRefundedAtOnceAndOnlyOnce() throws Exception {
        Paid paid = pay(UUID.randomUUID(), 500);
        clock.pin(paid.paidAt().plus(Duration.ofHours(24)));
        UUID id = UUID.randomUUID();
        String body = automatic(id, paid, 500, "moderation_rejection");

        // answered once stored (the sender's relay times out after 5 s); Stripe follows in the background
        internalRefund(body).then().statusCode(202).body("status", equalTo("approved"));
        awaitNoneApproved(paid.paymentIntentId());
        String stripeRefundId = internalRefund(body)
                .then()
                .statusCode(202)
                .body("status", equalTo("processed"))
                .body("stripeRefundId", notNullValue())
                .extract()
                .path("stripeRefundId");
        internalRefund(body)
                .then()
                .statusCode(202)
                .body("status", equalTo("processed"))
                .body("stripeRefundId", equalTo(stripeRefundId));

        List<Refund> refunds = stripeRefunds(paid.paymentIntentId());
        assertThat(refunds).hasSize(1);
        assertThat(refunds.get(0).getId()).isEqualTo(stripeRefundId);
        assertThat(refunds.get(0).getAmount()).isEqualTo(500);
        assertThat(refunds.get(0).getMetadata()).containsEntry("refund_request_id", id.toString());
        assertThat(TestData.auditRecords(pool, "refund.processed", id)).isEqualTo(1);
        assertThat(TestData.auditRecords(pool, "refund.approved", id)).isEqualTo(1);
        assertThat(TestData.count(
                        pool,
                        "SELECT reserved FROM refund_payment WHERE payment_intent_id = $1",
                        paid.paymentIntentId()))
                .isEqualTo(500);

        // Stripe's own events about this refund are matched to the request, not recorded again
        for (JsonNode event : events("refund.created", paid.paymentIntentId())) {
            deliver(event);
        }
        for (JsonNode event : events("charge.refunded", paid.paymentIntentId())) {
            deliver(event);
        }
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM refund_request WHERE payment_intent_id = $1",
                        paid.paymentIntentId()))
                .isEqualTo(1);
        given().get("/q/metrics")
                .then()
                .body(org.hamcrest.Matchers.containsString(
                        "homepage_refunds_processed_total{reason=\"moderation_rejection\"}"));
    }

    @Test
    void automaticRequestJustAfterTheWindowWaitsForReviewThenAnAdminApproves() throws Exception {
        Paid paid = pay(UUID.randomUUID(), 700);
        clock.pin(paid.paidAt().plus(Duration.ofHours(24)).plusSeconds(1));
        UUID id = UUID.randomUUID();
        internalRefund(automatic(id, paid, 700, "technical_failure"))
                .then()
                .statusCode(202)
                .body("status", equalTo("pending"));
        assertThat(stripeRefunds(paid.paymentIntentId())).isEmpty();

        given().header("Authorization", Tokens.admin())
                .contentType("application/json")
                .body("{\"note\":\"late but fair\"}")
                .post("/admin/api/marketplace/refunds/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("status", equalTo("processed"));
        assertThat(stripeRefunds(paid.paymentIntentId())).hasSize(1);
        given().header("Authorization", Tokens.admin())
                .contentType("application/json")
                .body("{}")
                .post("/admin/api/marketplace/refunds/" + id + "/approve")
                .then()
                .statusCode(409)
                .body("type", endsWith("invalid-transition"));
        // nothing remains for the owner
        given().header("Authorization", Tokens.user(paid.userId()))
                .contentType("application/json")
                .body("{\"paymentIntentId\":\"" + paid.paymentIntentId() + "\",\"amount\":1}")
                .post("/api/marketplace/refunds")
                .then()
                .statusCode(409);
        assertThat(stripeRefunds(paid.paymentIntentId())).hasSize(1);
    }

    @Test
    void userRequestLearnsThePaymentFromStripeAndAnotherUserGets404() throws Exception {
        Paid paid = pay(UUID.randomUUID(), 800);
        given().header("Authorization", Tokens.user(UUID.randomUUID()))
                .contentType("application/json")
                .body("{\"paymentIntentId\":\"" + paid.paymentIntentId() + "\",\"amount\":300}")
                .post("/api/marketplace/refunds")
                .then()
                .statusCode(404)
                .body("detail", equalTo("Payment not found"));
        given().header("Authorization", Tokens.user(UUID.randomUUID()))
                .contentType("application/json")
                .body("{\"paymentIntentId\":\"pi_doesnotexist000\",\"amount\":300}")
                .post("/api/marketplace/refunds")
                .then()
                .statusCode(404)
                .body("detail", equalTo("Payment not found"));
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM refund_payment WHERE payment_intent_id = $1",
                        paid.paymentIntentId()))
                .isZero();

        String id = given().header("Authorization", Tokens.user(paid.userId()))
                .contentType("application/json")
                .body("{\"paymentIntentId\":\"" + paid.paymentIntentId() + "\",\"amount\":300}")
                .post("/api/marketplace/refunds")
                .then()
                .statusCode(201)
                .body("status", equalTo("pending"))
                .extract()
                .path("id");
        Row ledger = TestData.one(
                pool,
                "SELECT captured, user_id, charge_id FROM refund_payment WHERE payment_intent_id = $1",
                paid.paymentIntentId());
        assertThat(ledger.getLong("captured")).isEqualTo(800);
        assertThat(ledger.getUUID("user_id")).isEqualTo(paid.userId());
        assertThat(ledger.getString("charge_id")).isEqualTo(paid.chargeId());

        given().header("Authorization", Tokens.admin())
                .contentType("application/json")
                .body("{}")
                .post("/admin/api/marketplace/refunds/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("status", equalTo("processed"));
        given().header("Authorization", Tokens.user(paid.userId()))
                .get("/api/marketplace/refunds/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("processed"));
        assertThat(stripeRefunds(paid.paymentIntentId()))
                .extracting(Refund::getAmount)
                .containsExactly(300L);
    }

    @Test
    void concurrentApprovalsAndAutomaticRequestsNeverExceedWhatWasCaptured() throws Exception {
        Paid paid = pay(UUID.randomUUID(), 1000);
        // ten requests of 300 waiting for review (they came after the window)
        clock.pin(paid.paidAt().plus(Duration.ofHours(30)));
        List<UUID> pending = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            UUID id = UUID.randomUUID();
            internalRefund(automatic(id, paid, 300, "technical_failure"))
                    .then()
                    .statusCode(202)
                    .body("status", equalTo("pending"));
            pending.add(id);
        }
        // now, within the window, ten approvals and five automatic requests of 300 race each other
        clock.pin(paid.paidAt().plus(Duration.ofHours(1)));
        ExecutorService executor = Executors.newFixedThreadPool(15);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> calls = new ArrayList<>();
        String admin = Tokens.admin();
        for (UUID id : pending) {
            calls.add(executor.submit((Callable<Integer>) () -> {
                start.await();
                return given().header("Authorization", admin)
                        .contentType("application/json")
                        .body("{}")
                        .post("/admin/api/marketplace/refunds/" + id + "/approve")
                        .then()
                        .extract()
                        .statusCode();
            }));
        }
        List<UUID> automatic = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            UUID id = UUID.randomUUID();
            automatic.add(id);
            String body = automatic(id, paid, 300, "moderation_rejection");
            calls.add(executor.submit((Callable<Integer>) () -> {
                start.await();
                return internalRefund(body).then().extract().statusCode();
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> call : calls) {
            statuses.add(call.get());
        }
        executor.shutdown();
        assertThat(statuses).allMatch(s -> s == 200 || s == 202 || s == 409);
        awaitNoneApproved(paid.paymentIntentId());

        List<Row> processed = TestData.all(
                pool,
                "SELECT id, amount, stripe_refund_id FROM refund_request WHERE payment_intent_id = $1 AND status = 'processed'",
                paid.paymentIntentId());
        long total = processed.stream().mapToLong(r -> r.getLong("amount")).sum();
        assertThat(total).isLessThanOrEqualTo(1000);
        assertThat(processed).hasSize(3); // 3 x 300 fit into 1000, a fourth never does
        List<Refund> atStripe = stripeRefunds(paid.paymentIntentId());
        assertThat(atStripe).hasSize(processed.size());
        assertThat(atStripe.stream().mapToLong(Refund::getAmount).sum()).isEqualTo(total);
        Set<String> requestIds = new HashSet<>();
        for (Refund refund : atStripe) {
            assertThat(requestIds.add(refund.getMetadata().get("refund_request_id")))
                    .as("one Stripe refund per request")
                    .isTrue();
        }
        assertThat(TestData.count(
                        pool,
                        "SELECT reserved FROM refund_payment WHERE payment_intent_id = $1",
                        paid.paymentIntentId()))
                .isEqualTo(total);
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM refund_request WHERE payment_intent_id = $1 AND status IN ('approved', 'failed')",
                        paid.paymentIntentId()))
                .isZero();
        // the automatic requests that did not fit wait for review
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM refund_request WHERE payment_intent_id = $1 AND status = 'pending'",
                        paid.paymentIntentId()))
                .isEqualTo(15 - 3);
    }

    @Test
    void anAutomaticRefundWithoutAnAnswerStaysApprovedAndTheRecoveryJobFinishesItWithTheSameKey() throws Throwable {
        Paid paid = pay(UUID.randomUUID(), 700);
        clock.pin(paid.paidAt().plus(Duration.ofHours(1)));
        double unknownBefore = outcomeUnknown("moderation_rejection");
        // every response of POST /v1/refunds is lost: the refund happens, refund-service never hears of it
        StripeEmulatorResource.emulator()
                .faults()
                .endpoint("POST /v1/refunds", EndpointFault.none().withLostResponseRate(1.0));
        UUID id = UUID.randomUUID();
        internalRefund(automatic(id, paid, 700, "moderation_rejection"))
                .then()
                .statusCode(202)
                .body("status", equalTo("approved"));
        awaitGivenUp(id, "moderation_rejection", unknownBefore);

        Row unknown = TestData.one(
                pool, "SELECT status, reserved, failure, stripe_key_attempt FROM refund_request WHERE id = $1", id);
        assertThat(unknown.getString("status"))
                .as("an unknown outcome is not a failure")
                .isEqualTo("approved");
        assertThat(unknown.getBoolean("reserved")).isTrue();
        assertThat(unknown.getString("failure")).isNull();
        assertThat(unknown.getInteger("stripe_key_attempt")).isEqualTo(1);
        assertThat(TestData.auditRecords(pool, "refund.failed", id)).isZero();
        List<Refund> made = stripeRefunds(paid.paymentIntentId());
        assertThat(made).hasSize(1);

        // Stripe answers again: the recovery job (no admin) finds the refund, never makes a second one
        StripeEmulatorResource.emulator().faults().clear();
        recoverUntilNoneApproved(paid.paymentIntentId());
        Row processed = TestData.one(
                pool, "SELECT status, stripe_refund_id, stripe_key_attempt FROM refund_request WHERE id = $1", id);
        assertThat(processed.getString("status")).isEqualTo("processed");
        assertThat(processed.getString("stripe_refund_id"))
                .isEqualTo(made.get(0).getId());
        assertThat(processed.getInteger("stripe_key_attempt")).isEqualTo(1);
        assertThat(stripeRefunds(paid.paymentIntentId())).hasSize(1);
        assertThat(TestData.count(
                        pool,
                        "SELECT reserved FROM refund_payment WHERE payment_intent_id = $1",
                        paid.paymentIntentId()))
                .isEqualTo(700);
    }

    @Test
    void anAdminApprovalWithoutAnAnswerStaysApprovedAndIsNeverRefundedTwice() throws Throwable {
        Paid paid = pay(UUID.randomUUID(), 900);
        clock.pin(paid.paidAt().plus(Duration.ofDays(3)));
        UUID id = UUID.randomUUID();
        internalRefund(automatic(id, paid, 900, "technical_failure")).then().statusCode(202);
        clock.release();

        // every response of POST /v1/refunds is lost: the refund happens, we never hear of it
        StripeEmulatorResource.emulator()
                .faults()
                .endpoint("POST /v1/refunds", EndpointFault.none().withLostResponseRate(1.0));
        given().header("Authorization", Tokens.admin())
                .contentType("application/json")
                .body("{}")
                .post("/admin/api/marketplace/refunds/" + id + "/approve")
                .then()
                .statusCode(200)
                .body("status", equalTo("approved"));
        Row unknown = TestData.one(pool, "SELECT status, reserved, failure FROM refund_request WHERE id = $1", id);
        assertThat(unknown.getString("status"))
                .as("an unknown outcome is not a failure")
                .isEqualTo("approved");
        assertThat(unknown.getBoolean("reserved"))
                .as("an unknown outcome keeps the reservation")
                .isTrue();
        assertThat(unknown.getString("failure")).isNull();
        assertThat(stripeRefunds(paid.paymentIntentId())).hasSize(1);

        // Stripe answers again: the recovery job drives it with the same key, same refund
        StripeEmulatorResource.emulator().faults().clear();
        recoverUntilNoneApproved(paid.paymentIntentId());
        List<Refund> refunds = stripeRefunds(paid.paymentIntentId());
        assertThat(refunds).hasSize(1);
        Row processed = TestData.one(pool, "SELECT status, stripe_refund_id FROM refund_request WHERE id = $1", id);
        assertThat(processed.getString("status")).isEqualTo("processed");
        assertThat(processed.getString("stripe_refund_id"))
                .isEqualTo(refunds.get(0).getId());
        // an admin retry of the processed request changes nothing
        given().header("Authorization", Tokens.admin())
                .post("/admin/api/marketplace/refunds/" + id + "/retry")
                .then()
                .statusCode(409);
        assertThat(stripeRefunds(paid.paymentIntentId())).hasSize(1);
        assertThat(TestData.count(
                        pool,
                        "SELECT reserved FROM refund_payment WHERE payment_intent_id = $1",
                        paid.paymentIntentId()))
                .isEqualTo(900);
    }

    @Test
    void halfTheResponsesLostStillOneRefundPerRequest() throws Throwable {
        Paid paid = pay(UUID.randomUUID(), 1000);
        clock.pin(paid.paidAt().plus(Duration.ofMinutes(5)));
        StripeEmulatorResource.emulator()
                .faults()
                .seed(42)
                .endpoint("POST /v1/refunds", EndpointFault.none().withLostResponseRate(0.5));
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            internalRefund(automatic(id, paid, 200, "technical_failure")).then().statusCode(202);
        }
        // a lost response still made the refund: each request's first attempt reached Stripe
        for (int i = 0; i < 300 && stripeRefunds(paid.paymentIntentId()).size() < 4; i++) {
            Thread.sleep(100);
        }
        StripeEmulatorResource.emulator().faults().clear();
        clock.release();
        recoverUntilNoneApproved(paid.paymentIntentId());
        List<Refund> refunds = stripeRefunds(paid.paymentIntentId());
        assertThat(refunds).hasSize(4);
        assertThat(refunds.stream()
                        .map(r -> r.getMetadata().get("refund_request_id"))
                        .distinct())
                .hasSize(4);
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM refund_request WHERE payment_intent_id = $1 AND status = 'processed'",
                        paid.paymentIntentId()))
                .isEqualTo(4);
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM refund_request WHERE payment_intent_id = $1 AND status = 'failed'",
                        paid.paymentIntentId()))
                .isZero();
    }

    @Test
    void aStripeRefusalFailsTheRequestAndReleasesItsReservation() throws Exception {
        Paid paid = pay(UUID.randomUUID(), 600);
        clock.pin(paid.paidAt().plus(Duration.ofDays(2)));
        UUID id = UUID.randomUUID();
        internalRefund(automatic(id, paid, 600, "technical_failure")).then().statusCode(202);
        // the card holder disputes the charge at Stripe; Stripe then refuses refunds of it
        emulatorPost("/_emulator/charges/" + paid.chargeId() + "/dispute", "{}");
        given().header("Authorization", Tokens.admin())
                .contentType("application/json")
                .body("{}")
                .post("/admin/api/marketplace/refunds/" + id + "/approve")
                .then()
                .statusCode(502);
        Row failed = TestData.one(pool, "SELECT status, reserved, failure FROM refund_request WHERE id = $1", id);
        assertThat(failed.getString("status")).isEqualTo("failed");
        assertThat(failed.getBoolean("reserved")).isFalse();
        assertThat(failed.getString("failure")).startsWith("refused by stripe");
        assertThat(TestData.count(pool, "SELECT stripe_key_attempt FROM refund_request WHERE id = $1", id))
                .as("a definitive refusal gives the next attempt a new idempotency key")
                .isEqualTo(2);
        assertThat(TestData.count(
                        pool,
                        "SELECT reserved FROM refund_payment WHERE payment_intent_id = $1",
                        paid.paymentIntentId()))
                .isZero();
        assertThat(TestData.auditRecords(pool, "refund.failed", id)).isEqualTo(1);

        // the dispute event arrives (twice): one chargeback, and nothing remains to retry with
        List<JsonNode> disputes = events("charge.dispute.created", paid.paymentIntentId());
        assertThat(disputes).hasSize(1);
        deliver(disputes.get(0));
        deliver(disputes.get(0));
        assertThat(TestData.count(
                        pool, "SELECT count(*) FROM chargeback WHERE payment_intent_id = $1", paid.paymentIntentId()))
                .isEqualTo(1);
        given().header("Authorization", Tokens.admin())
                .post("/admin/api/marketplace/refunds/" + id + "/retry")
                .then()
                .statusCode(409)
                .body("type", endsWith("refund-exceeds-remaining"));
        assertThat(stripeRefunds(paid.paymentIntentId())).isEmpty();
    }

    @Test
    void aDashboardRefundIsRecordedOnceAndCountsAgainstWhatRemains() throws Exception {
        Paid paid = pay(UUID.randomUUID(), 1000);
        Refund dashboard = stripe.v1()
                .refunds()
                .create(
                        RefundCreateParams.builder()
                                .setPaymentIntent(paid.paymentIntentId())
                                .setAmount(200L)
                                .build(),
                        RequestOptions.builder()
                                .setIdempotencyKey(UUID.randomUUID().toString())
                                .build());
        for (JsonNode event : events("charge.refunded", paid.paymentIntentId())) {
            deliver(event);
            deliver(event);
        }
        for (JsonNode event : events("refund.created", paid.paymentIntentId())) {
            deliver(event);
        }
        List<Row> recorded = TestData.all(
                pool,
                "SELECT reason, origin, status, amount FROM refund_request WHERE stripe_refund_id = $1",
                dashboard.getId());
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0).getString("reason")).isEqualTo("user_request");
        assertThat(recorded.get(0).getString("origin")).isEqualTo("stripe");
        assertThat(recorded.get(0).getString("status")).isEqualTo("processed");
        assertThat(TestData.count(
                        pool,
                        "SELECT refunded_externally FROM refund_payment WHERE payment_intent_id = $1",
                        paid.paymentIntentId()))
                .isEqualTo(200);
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM outbox_message WHERE payload LIKE $1 AND payload LIKE $2",
                        "%refund.recorded%",
                        "%" + paid.paymentIntentId() + "%"))
                .isEqualTo(1);
        given().header("Authorization", Tokens.user(paid.userId()))
                .contentType("application/json")
                .body("{\"paymentIntentId\":\"" + paid.paymentIntentId() + "\",\"amount\":801}")
                .post("/api/marketplace/refunds")
                .then()
                .statusCode(409);
        given().header("Authorization", Tokens.user(paid.userId()))
                .contentType("application/json")
                .body("{\"paymentIntentId\":\"" + paid.paymentIntentId() + "\"}")
                .post("/api/marketplace/refunds")
                .then()
                .statusCode(201)
                .body("amount", equalTo(800));
    }

    /** Disaster recovery: a refund the suite made, whose rows a restored database lacks, comes back as it was. */
    @Test
    void aLostRefundOfTheSuiteIsRestoredFromStripeUnderItsOwnIdOnce() throws Exception {
        Paid paid = pay(UUID.randomUUID(), 500);
        clock.pin(paid.paidAt().plus(Duration.ofHours(1)));
        UUID id = UUID.randomUUID();
        internalRefund(automatic(id, paid, 500, "moderation_rejection")).then().statusCode(202);
        awaitNoneApproved(paid.paymentIntentId());
        String refundId = stripeRefunds(paid.paymentIntentId()).get(0).getId();
        asWebhook()
                .get("/internal/refunds/by-stripe-refund/" + refundId)
                .then()
                .statusCode(200)
                .body("requestId", equalTo(id.toString()))
                .body("status", equalTo("processed"));

        // what a backup taken before the refund lacks
        TestData.all(pool, "DELETE FROM refund_request WHERE payment_intent_id = $1", paid.paymentIntentId());
        TestData.all(pool, "DELETE FROM refund_payment WHERE payment_intent_id = $1", paid.paymentIntentId());
        asWebhook().get("/internal/refunds/by-stripe-refund/" + refundId).then().statusCode(404);

        // what disaster recovery sends: the refund as Stripe lists it, under an event id of its own
        JsonNode refund = JSON.readTree(emulatorGet("/v1/refunds/" + refundId));
        JsonNode event = JSON.readTree("""
                {"id":"evt_recovered_%s","object":"event","type":"refund.updated","data":{"object":%s}}""".formatted(refundId, refund));
        deliver(event);
        deliver(event);

        Row restored = TestData.one(
                pool,
                "SELECT id, reason, origin, status, amount, reserved FROM refund_request WHERE stripe_refund_id = $1",
                refundId);
        assertThat(restored.getUUID("id")).isEqualTo(id);
        assertThat(restored.getString("reason")).isEqualTo("moderation_rejection");
        assertThat(restored.getString("origin")).isEqualTo("service");
        assertThat(restored.getString("status")).isEqualTo("processed");
        assertThat(restored.getLong("amount")).isEqualTo(500);
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM refund_request WHERE payment_intent_id = $1",
                        paid.paymentIntentId()))
                .isEqualTo(1);
        assertThat(TestData.count(
                        pool,
                        "SELECT reserved FROM refund_payment WHERE payment_intent_id = $1",
                        paid.paymentIntentId()))
                .isEqualTo(500);
        assertThat(TestData.count(
                        pool,
                        "SELECT refunded_externally FROM refund_payment WHERE payment_intent_id = $1",
                        paid.paymentIntentId()))
                .isZero();
        assertThat(TestData.auditRecords(pool, "refund.restored", id)).isEqualTo(1);
        asWebhook()
                .get("/internal/refunds/by-stripe-refund/" + refundId)
                .then()
                .statusCode(200)
                .body("requestId", equalTo(id.toString()));
    }

    @Test
    void aRefundOfAPaymentWithoutSuiteMetadataIsStillRecorded() throws Exception {
        PaymentIntent intent = stripe.v1()
                .paymentIntents()
                .create(
                        PaymentIntentCreateParams.builder()
                                .setAmount(450L)
                                .setCurrency("usd")
                                .build(),
                        RequestOptions.builder()
                                .setIdempotencyKey(UUID.randomUUID().toString())
                                .build());
        emulatorPost("/_emulator/payment_intents/" + intent.getId() + "/pay", "{\"card\":\"success\"}");
        Refund dashboard = stripe.v1()
                .refunds()
                .create(
                        RefundCreateParams.builder()
                                .setPaymentIntent(intent.getId())
                                .build(),
                        RequestOptions.builder()
                                .setIdempotencyKey(UUID.randomUUID().toString())
                                .build());
        for (JsonNode event : events("refund.created", intent.getId())) {
            deliver(event);
        }
        Row recorded = TestData.one(
                pool,
                "SELECT user_id, amount, status FROM refund_request WHERE stripe_refund_id = $1",
                dashboard.getId());
        assertThat(recorded.getUUID("user_id")).isNull();
        assertThat(recorded.getLong("amount")).isEqualTo(450);
        assertThat(recorded.getString("status")).isEqualTo("processed");
    }

    @Test
    void twoChargebacksAtStripeBanTheUserOnce() throws Exception {
        UUID user = UUID.randomUUID();
        Paid first = pay(user, 500);
        Paid second = pay(user, 300);
        emulatorPost("/_emulator/charges/" + first.chargeId() + "/dispute", "{}");
        emulatorPost("/_emulator/charges/" + second.chargeId() + "/dispute", "{\"reason\":\"product_not_received\"}");
        List<JsonNode> created = new ArrayList<>(events("charge.dispute.created", first.paymentIntentId()));
        created.addAll(events("charge.dispute.created", second.paymentIntentId()));
        assertThat(created).hasSize(2);
        for (JsonNode event : created) {
            deliver(event);
            deliver(event);
        }
        assertThat(TestData.count(pool, "SELECT count(*) FROM chargeback WHERE user_id = $1", user))
                .isEqualTo(2);
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM refund_request WHERE user_id = $1 AND reason = 'chargeback' AND status = 'processed'",
                        user))
                .isEqualTo(2);
        assertThat(TestData.count(
                        pool,
                        "SELECT count(*) FROM outbox_message WHERE destination = 'checkout' AND path = $1",
                        "/internal/users/" + user + "/ban"))
                .isEqualTo(1);

        String disputeId = created.get(0).path("data").path("object").path("id").asText();
        emulatorPost("/_emulator/disputes/" + disputeId + "/close", "{\"status\":\"lost\"}");
        for (JsonNode event : events("charge.dispute.closed", first.paymentIntentId())) {
            deliver(event);
        }
        assertThat(TestData.one(pool, "SELECT status FROM chargeback WHERE dispute_id = $1", disputeId)
                        .getString("status"))
                .isEqualTo("lost");
    }

    @Test
    void aRequestLeftApprovedByACrashIsDrivenAgainByTheRecoveryJob() throws Throwable {
        Paid paid = pay(UUID.randomUUID(), 400);
        clock.pin(paid.paidAt().plus(Duration.ofDays(2)));
        UUID id = UUID.randomUUID();
        internalRefund(automatic(id, paid, 400, "technical_failure"))
                .then()
                .statusCode(202)
                .body("status", equalTo("pending"));
        // as if the service died after reserving and approving, before Stripe answered
        pool.preparedQuery(
                        "UPDATE refund_request SET status = 'approved', reserved = true, updated_at = now() - interval '1 hour' WHERE id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(id))
                .await()
                .indefinitely();
        pool.preparedQuery("UPDATE refund_payment SET reserved = reserved + 400 WHERE payment_intent_id = $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(paid.paymentIntentId()))
                .await()
                .indefinitely();
        clock.release();

        int driven = io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> recovery.recover());
        assertThat(driven).isGreaterThanOrEqualTo(1);
        assertThat(TestData.one(pool, "SELECT status FROM refund_request WHERE id = $1", id)
                        .getString("status"))
                .isEqualTo("processed");
        assertThat(stripeRefunds(paid.paymentIntentId())).hasSize(1);
        // a second run finds nothing of this request to do
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> recovery.recover());
        assertThat(stripeRefunds(paid.paymentIntentId())).hasSize(1);
    }

    // --- helpers -------------------------------------------------------------------------------

    /** The outcome-unknown counter of one reason at /q/metrics. */
    private static double outcomeUnknown(String reason) {
        String series = "homepage_refunds_outcome_unknown_total{reason=\"" + reason + "\"} ";
        for (String line : given().get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .split("\n")) {
            if (line.startsWith(series)) {
                return Double.parseDouble(line.substring(series.length()).trim());
            }
        }
        return 0;
    }

    /** Waits (bounded) until the background Stripe call of the request gave up (or the request left approved). */
    private void awaitGivenUp(UUID id, String reason, double unknownBefore) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (outcomeUnknown(reason) > unknownBefore
                    || !TestData.one(pool, "SELECT status FROM refund_request WHERE id = $1", id)
                            .getString("status")
                            .equals("approved")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the Stripe call of refund request " + id + " neither gave up nor settled in 30 s");
    }

    /**
     * Runs the recovery job as its schedule would, once the requests are older than
     * refunds.stuck-after (the clock moved on a day per run, past each claimed request's backoff),
     * until no request of the payment is left approved (bounded).
     */
    private void recoverUntilNoneApproved(String paymentIntentId) throws Throwable {
        Instant start = Instant.now();
        for (int run = 1; run <= 20; run++) {
            if (TestData.count(
                            pool,
                            "SELECT count(*) FROM refund_request WHERE payment_intent_id = $1 AND status = 'approved'",
                            paymentIntentId)
                    == 0) {
                clock.release();
                return;
            }
            clock.pin(start.plus(Duration.ofDays(run)));
            io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> recovery.recover());
            Thread.sleep(100);
        }
        clock.release();
        throw new AssertionError("refund requests of " + paymentIntentId + " still approved after 20 recovery runs");
    }

    private Paid pay(UUID user, long amount) throws Exception {
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
        emulatorPost("/_emulator/payment_intents/" + intent.getId() + "/pay", "{\"card\":\"success\"}");
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

    /** Automatic refunds go to Stripe after the answer: waits (bounded) until none is left approved. */
    private void awaitNoneApproved(String paymentIntentId) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (TestData.count(
                            pool,
                            "SELECT count(*) FROM refund_request WHERE payment_intent_id = $1 AND status = 'approved'",
                            paymentIntentId)
                    == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("refund requests of " + paymentIntentId + " still approved after 30 s");
    }

    private List<Refund> stripeRefunds(String paymentIntentId) throws Exception {
        return stripe.v1()
                .refunds()
                .list(RefundListParams.builder()
                        .setPaymentIntent(paymentIntentId)
                        .setLimit(100L)
                        .build())
                .getData();
    }

    private static String automatic(UUID id, Paid paid, long amount, String reason) {
        return """
                {"id":"%s","paymentIntentId":"%s","listingId":"%s","userId":"%s","amount":%d,"currency":"usd",
                 "reason":"%s","paidAt":"%s"}""".formatted(
                        id, paid.paymentIntentId(), paid.listingId(), paid.userId(), amount, reason, paid.paidAt());
    }

    private static Response internalRefund(String body) {
        return given().header("Authorization", Tokens.service(ServiceNames.CHECKOUT, ServiceNames.REFUND))
                .contentType("application/json")
                .body(body)
                .post("/internal/refunds");
    }

    private static RequestSpecification asWebhook() {
        return given().header("Authorization", Tokens.service(ServiceNames.WEBHOOK, ServiceNames.REFUND));
    }

    private static void deliver(JsonNode event) {
        given().header("Authorization", Tokens.service(ServiceNames.WEBHOOK, ServiceNames.REFUND))
                .contentType("application/json")
                .body(event.toString())
                .post("/internal/stripe-events")
                .then()
                .statusCode(200);
    }

    /** The emulator's events of a type that concern one PaymentIntent, as Stripe's Events API returns them. */
    private static List<JsonNode> events(String type, String paymentIntentId) throws Exception {
        JsonNode page = JSON.readTree(emulatorGet("/v1/events?limit=100&type=" + type));
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode event : page.path("data")) {
            JsonNode object = event.path("data").path("object");
            if (paymentIntentId.equals(object.path("payment_intent").asText())) {
                found.add(event);
            }
        }
        return found;
    }

    private static String emulatorGet(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(StripeEmulatorResource.emulator().apiBase() + path))
                .header("Authorization", "Bearer sk_test_emulator")
                .GET()
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    private static void emulatorPost(String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(StripeEmulatorResource.emulator().apiBase() + path))
                .header("Authorization", "Bearer sk_test_emulator")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    }
}
