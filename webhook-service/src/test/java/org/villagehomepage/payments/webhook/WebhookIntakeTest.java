package org.villagehomepage.payments.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.outbox.SqlOutbox;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.webhook.support.Db;
import org.villagehomepage.payments.webhook.support.Events;
import org.villagehomepage.payments.webhook.support.FakeServices;
import org.villagehomepage.payments.webhook.support.Signer;

/** POST /webhooks/stripe over HTTP, effects asserted in Postgres. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
@QuarkusTestResource(FakeServices.class)
class WebhookIntakeTest {

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void clean() {
        Db.clean(pool);
        FakeServices.reset();
    }

    @Test
    void storesAVerifiedEventOnceWithItsRawPayloadAndItsOutboxMessage() {
        String eventId = Events.newId();
        String payload = Events.paymentSucceeded(eventId);
        double received = counter("homepage_webhooks_received", "event_type", "payment_intent.succeeded");

        deliver(payload).then().statusCode(200).body("received", equalTo(true));

        Row event = Db.rows(pool, "SELECT * FROM webhook_event WHERE event_id = $1", eventId)
                .get(0);
        assertThat(event.getString("payload")).isEqualTo(payload);
        assertThat(event.getString("type")).isEqualTo("payment_intent.succeeded");
        assertThat(event.getString("object_id")).isEqualTo("pi_" + eventId.substring(4));
        assertThat(event.getBoolean("livemode")).isFalse();
        assertThat(event.getString("source")).isEqualTo("delivery");
        Row message = Db.rows(pool, "SELECT * FROM outbox_message WHERE destination <> 'audit'")
                .get(0);
        assertThat(message.getUUID("id")).isEqualTo(SqlOutbox.idFor("checkout:" + eventId));
        assertThat(message.getString("destination")).isEqualTo("checkout");
        assertThat(message.getString("path")).isEqualTo("/internal/stripe-events");
        assertThat(message.getString("payload")).isEqualTo("{\"events\":[" + payload + "]}");
        assertThat(
                        Db.count(
                                pool,
                                "SELECT count(*) FROM outbox_message WHERE destination = 'audit' AND payload LIKE '%webhook.received%'"))
                .isEqualTo(1);
        assertThat(counter("homepage_webhooks_received", "event_type", "payment_intent.succeeded"))
                .isEqualTo(received + 1);
    }

    @Test
    void routesRefundAndDisputeEventsToRefundService() {
        String eventId = Events.newId();
        deliver(Events.of(eventId, "charge.dispute.created", "du_" + eventId.substring(4)))
                .then()
                .statusCode(200);

        assertThat(Db.rows(
                        pool,
                        "SELECT destination FROM outbox_message WHERE id = $1",
                        SqlOutbox.idFor("refund:" + eventId)))
                .hasSize(1);
    }

    @Test
    void aDuplicateIsAcknowledgedAndChangesNothing() {
        String eventId = Events.newId();
        String payload = Events.paymentSucceeded(eventId);
        deliver(payload).then().statusCode(200);
        double duplicates = counter("homepage_webhooks_duplicates", "event_type", "payment_intent.succeeded");

        deliver(payload).then().statusCode(200);
        deliver(payload).then().statusCode(200);

        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event")).isEqualTo(1);
        assertThat(Db.count(pool, "SELECT count(*) FROM outbox_message WHERE destination <> 'audit'"))
                .isEqualTo(1);
        assertThat(audits("webhook.received")).isEqualTo(1);
        assertThat(counter("homepage_webhooks_duplicates", "event_type", "payment_intent.succeeded"))
                .isEqualTo(duplicates + 2);
    }

    @Test
    void fiftyConcurrentDeliveriesOfOneEventMakeOneRowAndOneDispatch() throws Exception {
        String eventId = Events.newId();
        String payload = Events.paymentSucceeded(eventId);
        String header = Signer.header(payload);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + RestAssured.port + "/webhooks/stripe"))
                .header("Content-Type", "application/json; charset=utf-8")
                .header("Stripe-Signature", header)
                .POST(HttpRequest.BodyPublishers.ofString(payload))
                .build();
        double duplicates = counter("homepage_webhooks_duplicates", "event_type", "payment_intent.succeeded");

        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }

        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertThat(answer.get().statusCode()).isEqualTo(200);
        }
        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event WHERE event_id = $1", eventId))
                .isEqualTo(1);
        assertThat(Db.count(pool, "SELECT count(*) FROM outbox_message WHERE destination = 'checkout'"))
                .isEqualTo(1);
        assertThat(Db.count(pool, "SELECT count(*) FROM outbox_message WHERE destination = 'audit'"))
                .isEqualTo(1);
        assertThat(counter("homepage_webhooks_duplicates", "event_type", "payment_intent.succeeded"))
                .isEqualTo(duplicates + 49);
    }

    @Test
    void manyDifferentEventsAtOnceAreEachStoredOnce() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        List<String> ids = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String eventId = Events.newId();
            ids.add(eventId);
            String payload = Events.paymentSucceeded(eventId);
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://localhost:" + RestAssured.port + "/webhooks/stripe"))
                    .header("Stripe-Signature", Signer.header(payload))
                    .POST(HttpRequest.BodyPublishers.ofString(payload))
                    .build();
            // each event twice, so batches also hold duplicates of each other
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }

        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertThat(answer.get().statusCode()).isEqualTo(200);
        }
        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event")).isEqualTo(200);
        assertThat(Db.count(pool, "SELECT count(*) FROM outbox_message WHERE destination = 'checkout'"))
                .isEqualTo(200);
        assertThat(Db.count(pool, "SELECT count(DISTINCT message_id) FROM webhook_event"))
                .isEqualTo(200);
        String audits = String.join(
                "",
                Db.rows(pool, "SELECT payload FROM outbox_message WHERE destination = 'audit'").stream()
                        .map(r -> r.getString("payload"))
                        .toList());
        for (String id : ids) {
            assertThat(audits).contains("\"eventId\":\"" + id + "\"");
        }
    }

    @Test
    void unknownTypesAreAcknowledgedCountedAndNotStored() {
        double ignored = counter("homepage_webhooks_ignored", "event_type", "customer.created");

        deliver(Events.of(Events.newId(), "customer.created", "cus_123")).then().statusCode(200);

        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event")).isZero();
        assertThat(Db.count(pool, "SELECT count(*) FROM outbox_message WHERE destination <> 'audit'"))
                .isZero();
        assertThat(counter("homepage_webhooks_ignored", "event_type", "customer.created"))
                .isEqualTo(ignored + 1);
    }

    @Test
    void refusesBadSignaturesWithoutEchoingOrStoringTheEvent() {
        String eventId = Events.newId();
        String payload = Events.paymentSucceeded(eventId);
        long now = Instant.now().getEpochSecond();
        double mismatch = counter("homepage_webhooks_signature_failures", "reason", "mismatch");
        double missing = counter("homepage_webhooks_signature_failures", "reason", "missing_header");
        double expired = counter("homepage_webhooks_signature_failures", "reason", "expired");
        double malformed = counter("homepage_webhooks_signature_failures", "reason", "malformed_header");

        given().contentType("application/json")
                .body(payload)
                .post("/webhooks/stripe")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem:payments:invalid-signature"))
                .body(not(containsString(eventId)));
        given().contentType("application/json")
                .header("Stripe-Signature", Signer.header(payload, now, "whsec_someone_else"))
                .body(payload)
                .post("/webhooks/stripe")
                .then()
                .statusCode(400)
                .body(not(containsString(eventId)));
        given().contentType("application/json")
                .header("Stripe-Signature", Signer.header(payload, now - 301, Signer.TEST_SECRET))
                .body(payload)
                .post("/webhooks/stripe")
                .then()
                .statusCode(400);
        given().contentType("application/json")
                .header("Stripe-Signature", "t=" + now + ", v1=" + Signer.hmac(Signer.TEST_SECRET, now + "." + payload))
                .body(payload)
                .post("/webhooks/stripe")
                .then()
                .statusCode(400);
        given().contentType("application/json")
                .header("Stripe-Signature", Signer.header(payload))
                .body(payload.replace("500", "5"))
                .post("/webhooks/stripe")
                .then()
                .statusCode(400);

        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event")).isZero();
        assertThat(Db.count(pool, "SELECT count(*) FROM outbox_message WHERE destination <> 'audit'"))
                .isZero();
        assertThat(counter("homepage_webhooks_signature_failures", "reason", "mismatch"))
                .isEqualTo(mismatch + 2);
        assertThat(counter("homepage_webhooks_signature_failures", "reason", "missing_header"))
                .isEqualTo(missing + 1);
        assertThat(counter("homepage_webhooks_signature_failures", "reason", "expired"))
                .isEqualTo(expired + 1);
        assertThat(counter("homepage_webhooks_signature_failures", "reason", "malformed_header"))
                .isEqualTo(malformed + 1);
    }

    @Test
    void refusesAVerifiedEventOfTheOtherStripeMode() {
        // the tests' key is a test-mode key (sk_test_...): a live event is not this deployment's money
        String eventId = Events.newId();
        String payload = Events.paymentSucceeded(eventId).replace("\"livemode\": false", "\"livemode\": true");
        assertThat(payload).contains("\"livemode\": true");
        double before = counter("homepage_webhooks_signature_failures", "reason", "livemode_mismatch");

        given().contentType("application/json")
                .header("Stripe-Signature", Signer.header(payload))
                .body(payload)
                .post("/webhooks/stripe")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem:payments:livemode-mismatch"))
                .body(not(containsString(eventId)));

        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event WHERE event_id = $1", eventId))
                .isZero();
        assertThat(Db.count(pool, "SELECT count(*) FROM outbox_message WHERE destination <> 'audit'"))
                .isZero();
        assertThat(counter("homepage_webhooks_signature_failures", "reason", "livemode_mismatch"))
                .isEqualTo(before + 1);
    }

    @Test
    void refusalsAreAuditedWithTheirSource() throws InterruptedException {
        String payload = Events.paymentSucceeded(Events.newId());
        for (int i = 0; i < 30; i++) {
            given().contentType("application/json")
                    .header("Stripe-Signature", "t=1,v1=00")
                    .body(payload)
                    .post("/webhooks/stripe")
                    .then()
                    .statusCode(400);
        }

        long deadline = System.nanoTime() + 5_000_000_000L;
        while (audits("webhook.rejected") < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(audits("webhook.rejected")).isBetween(1L, 30L);
        String audit = Db.rows(pool, "SELECT payload FROM outbox_message WHERE destination = 'audit'")
                .get(0)
                .getString("payload");
        assertThat(audit)
                .contains("\"sourceIp\":\"127.0.0.1\"")
                .contains("\"action\":\"webhook.rejected\"")
                .doesNotContain("evt_test")
                .doesNotContain("v1=");
    }

    @Test
    void aVerifiedBodyThatIsNotAnEventIsABadRequest() {
        String payload = "{\"id\": 5, \"object\": \"event\"";
        given().contentType("application/json")
                .header("Stripe-Signature", Signer.header(payload))
                .body(payload)
                .post("/webhooks/stripe")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event")).isZero();
    }

    /** Issue 13.10: a verified event whose money is not integer minor units is refused, not stored or forwarded. */
    @Test
    void anEventWhoseMoneyIsNotIntegerMinorUnitsIsABadRequest() {
        for (String amount : List.of("5.5", "\"5\"", "5e0", "5.0")) {
            String payload = Events.paymentSucceeded(Events.newId())
                    .replaceFirst("\"amount\": *[0-9]+", "\"amount\": " + amount);
            assertThat(payload).contains("\"amount\": " + amount);
            given().contentType("application/json")
                    .header("Stripe-Signature", Signer.header(payload))
                    .body(payload)
                    .post("/webhooks/stripe")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event")).isZero();
        assertThat(Db.count(pool, "SELECT count(*) FROM outbox_message WHERE destination <> 'audit'"))
                .isZero();
    }

    @Test
    void bodiesOverTheLimitAre413() {
        String padding = "x".repeat(300 * 1024);
        String payload = Events.paymentSucceeded(Events.newId())
                .replace("\"object\": \"event\"", "\"object\": \"event\", \"pad\": \"" + padding + "\"");
        given().contentType("application/json")
                .header("Stripe-Signature", Signer.header(payload))
                .body(payload)
                .post("/webhooks/stripe")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event")).isZero();
    }

    @Test
    void exportsTheMetricsOfDocsMetrics() {
        deliver(Events.paymentSucceeded(Events.newId())).then().statusCode(200);

        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("homepage_webhooks_received_total{event_type=\"payment_intent.succeeded\"")
                .contains("homepage_webhooks_duplicates_total")
                .contains("homepage_webhooks_ignored_total")
                .contains("homepage_webhooks_signature_failures_total{reason=\"mismatch\"")
                .contains("homepage_webhooks_signature_failures_total{reason=\"expired\"")
                .contains("homepage_webhooks_ack_duration_seconds_bucket")
                .contains("homepage_webhooks_events{status=\"dead\"")
                .contains("homepage_webhooks_events{status=\"processed\"")
                .contains("homepage_webhooks_reconciliation_missing_total")
                .contains("homepage_outbox_pending_messages");
    }

    private long audits(String action) {
        return Db.count(
                pool,
                "SELECT count(*) FROM outbox_message WHERE destination = 'audit' AND payload LIKE $1",
                "%\"action\":\"" + action + "\"%");
    }

    private static io.restassured.response.Response deliver(String payload) {
        return given().contentType("application/json; charset=utf-8")
                .header("Stripe-Signature", Signer.header(payload))
                .body(payload)
                .post("/webhooks/stripe");
    }

    private double counter(String name, String tag, String value) {
        Counter counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }
}
