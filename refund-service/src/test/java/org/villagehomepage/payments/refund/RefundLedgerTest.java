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
import io.restassured.response.Response;
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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;

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

    record Paid(String paymentIntentId, String chargeId, Instant paidAt, UUID userId, UUID listingId) {
    }

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
        internalRefund(automatic(id, paid, 600, "technical_failure")).then().statusCode(202)
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
        given().header("Authorization", Tokens.admin()).post("/admin/api/marketplace/refunds/" + id + "/retry")
                .then().statusCode(200).body("status", equalTo("processed"));
        String r2 = stripeRefundId(id);
        assertThat(r2).isNotEqualTo(r1);

        // R2's charge.refunded lists R1 (failed); R1's own charge.refunded comes late; so does another refund.updated of R1
        stripe.v1().refunds().update(r1, RefundUpdateParams.builder().putMetadata("note", "late").build());
        deliverAll(events("charge.refunded", paid.paymentIntentId()));
        deliverAll(eventsOfRefund("refund.updated", r1));

        Row after = TestData.one(pool, "SELECT status, reserved, stripe_refund_id FROM refund_request WHERE id = $1", id);
        assertThat(after.getString("status")).isEqualTo("processed");
        assertThat(after.getString("stripe_refund_id")).isEqualTo(r2);
        assertThat(after.getBoolean("reserved")).isTrue();
        assertThat(reserved(paid)).as("the money went back once: R2's amount stays reserved").isEqualTo(600);
        assertThat(TestData.auditRecords(pool, "refund.failed", id)).isEqualTo(1);
        assertThat(stripeRefunds(paid.paymentIntentId())).extracting(Refund::getStatus)
                .containsExactlyInAnyOrder("failed", "succeeded");
    }

    // --- helpers -------------------------------------------------------------------------------

    Paid pay(UUID user, long amount) throws Exception {
        return pay(user, amount, "success");
    }

    Paid pay(UUID user, long amount, String card) throws Exception {
        UUID listing = UUID.randomUUID();
        PaymentIntent intent = stripe.v1().paymentIntents().create(PaymentIntentCreateParams.builder()
                .setAmount(amount).setCurrency("usd")
                .putMetadata("user_id", user.toString())
                .putMetadata("listing_id", listing.toString())
                .putMetadata("payment_type", "posting_fee")
                .putMetadata("payment_id", UUID.randomUUID().toString())
                .build(), RequestOptions.builder().setIdempotencyKey(UUID.randomUUID().toString()).build());
        emulatorPost("/_emulator/payment_intents/" + intent.getId() + "/pay", "{\"card\":\"" + card + "\"}");
        PaymentIntent paid = stripe.v1().paymentIntents().retrieve(intent.getId(),
                PaymentIntentRetrieveParams.builder().addExpand("latest_charge").build());
        Charge charge = paid.getLatestChargeObject();
        assertThat(paid.getStatus()).isEqualTo("succeeded");
        return new Paid(intent.getId(), charge.getId(), Instant.ofEpochSecond(charge.getCreated()), user, listing);
    }

    long reserved(Paid paid) {
        return TestData.count(pool, "SELECT reserved FROM refund_payment WHERE payment_intent_id = $1",
                paid.paymentIntentId());
    }

    String stripeRefundId(UUID id) {
        return TestData.one(pool, "SELECT stripe_refund_id FROM refund_request WHERE id = $1", id)
                .getString("stripe_refund_id");
    }

    List<Refund> stripeRefunds(String paymentIntentId) throws Exception {
        return stripe.v1().refunds().list(RefundListParams.builder().setPaymentIntent(paymentIntentId).setLimit(100L).build())
                .getData();
    }

    static Response approve(UUID id) {
        return given().header("Authorization", Tokens.admin()).contentType("application/json").body("{}")
                .post("/admin/api/marketplace/refunds/" + id + "/approve");
    }

    static String automatic(UUID id, Paid paid, long amount, String reason) {
        return """
                {"id":"%s","paymentIntentId":"%s","listingId":"%s","userId":"%s","amount":%d,"currency":"usd",
                 "reason":"%s","paidAt":"%s"}""".formatted(id, paid.paymentIntentId(), paid.listingId(), paid.userId(), amount,
                reason, paid.paidAt());
    }

    static Response internalRefund(String body) {
        return given().header("Authorization", Tokens.service()).contentType("application/json").body(body)
                .post("/internal/refunds");
    }

    static Response deliver(JsonNode event) {
        return given().header("Authorization", Tokens.service()).contentType("application/json").body(event.toString())
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
        for (JsonNode event : JSON.readTree(emulatorGet("/v1/events?limit=100&type=" + type)).path("data")) {
            if (paymentIntentId.equals(event.path("data").path("object").path("payment_intent").asText())) {
                found.add(event);
            }
        }
        return found;
    }

    /** The emulator's events of a type about one refund, newest first. */
    static List<JsonNode> eventsOfRefund(String type, String refundId) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode event : JSON.readTree(emulatorGet("/v1/events?limit=100&type=" + type)).path("data")) {
            if (refundId.equals(event.path("data").path("object").path("id").asText())) {
                found.add(event);
            }
        }
        return found;
    }

    static String emulatorGet(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(StripeEmulatorResource.emulator().apiBase() + path))
                .header("Authorization", "Bearer sk_test_emulator").GET().build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    static JsonNode emulatorPost(String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(StripeEmulatorResource.emulator().apiBase() + path))
                .header("Authorization", "Bearer sk_test_emulator").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
