package org.villagehomepage.payments.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.outbox.OutboxRelay;
import org.villagehomepage.payments.common.outbox.SqlOutbox;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;
import org.villagehomepage.payments.webhook.audit.AuditOutbox;
import org.villagehomepage.payments.webhook.dispatch.ProcessingTracker;
import org.villagehomepage.payments.webhook.support.Db;
import org.villagehomepage.payments.webhook.support.Events;
import org.villagehomepage.payments.webhook.support.FakeServices;
import org.villagehomepage.payments.webhook.support.Signer;

/** From the stored event to the receiver: relay, restarts, status for ops, replay, lag. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
@QuarkusTestResource(FakeServices.class)
class EventDispatchTest {

    @Inject
    Pool pool;

    @Inject
    OutboxRelay relay;

    @Inject
    ProcessingTracker tracker;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "payments.http.max-body-bytes")
    long bodyLimit;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @BeforeEach
    void clean() {
        Db.clean(pool);
        FakeServices.reset();
    }

    @Test
    void anEventAcknowledgedBeforeTheProcessStoppedIsDispatchedAfterTheRestart() throws Exception {
        String eventId = Events.newId();
        String payload = Events.paymentSucceeded(eventId);
        String messageId = SqlOutbox.idFor("checkout:" + eventId).toString();
        deliver(payload);
        // The replica that stored it was killed while its relay held the message: the lease is still running.
        Db.run(
                pool,
                "UPDATE outbox_message SET claimed_until = now() + interval '1 hour' WHERE destination = 'checkout'");

        relay.relayDue().await().indefinitely();

        assertThat(FakeServices.stripeEvents(messageId)).isEmpty();
        assertThat(statusOf(eventId)).isEqualTo("dispatched");

        // After the restart the lease has run out and any relay takes the message.
        Db.run(
                pool,
                "UPDATE outbox_message SET claimed_until = now() - interval '1 second' WHERE destination = 'checkout'");
        relayUntilQuiet();

        List<FakeServices.Received> received = FakeServices.stripeEvents(messageId);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).destination()).isEqualTo("checkout");
        // checkout takes batches: its message is the event wrapped in {"events":[...]} (EventRoutes.BATCHED)
        assertThat(received.get(0).body()).isEqualTo("{\"events\":[" + payload + "]}");
        assertThat(received.get(0).authorization()).startsWith("Bearer ");
        // Its own identity as sender, checkout-service as the only audience (issue 12).
        String claims = new String(java.util.Base64.getUrlDecoder()
                .decode(received.get(0).authorization().substring(7).split("\\.")[1]));
        assertThat(json.readTree(claims).path("sub").asText()).isEqualTo("webhook-service");
        assertThat(json.readTree(claims).path("aud").toString())
                .contains("checkout-service")
                .doesNotContain("refund-service");
        assertThat(json.readTree(claims).path("iss").asText())
                .isEqualTo(org.villagehomepage.payments.common.testing.TestKeys.SERVICE_ISSUER);
        assertThat(statusOf(eventId)).isEqualTo("processed");
    }

    @Test
    void markingProcessedEventsRecordsTheLagOnceAndAuditsTheDispatch() {
        String eventId = Events.newId();
        deliver(Events.paymentSucceeded(eventId));
        relayUntilQuiet();
        long before = lagCount();

        tracker.track().await().indefinitely();
        tracker.track().await().indefinitely();

        assertThat(lagCount()).isEqualTo(before + 1);
        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event WHERE processed_at IS NOT NULL"))
                .isEqualTo(1);
        assertThat(
                        Db.count(
                                pool,
                                "SELECT count(*) FROM outbox_message WHERE destination = 'audit' AND payload LIKE '%webhook.dispatched%'"))
                .isEqualTo(1);
        assertThat(gauge("processed")).isEqualTo(1);
        String metrics =
                given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("homepage_webhooks_processing_lag_seconds_bucket{event_type=\"payment_intent.succeeded\"");
    }

    /**
     * A busy round marks up to 1,000 events; their dispatch audit travelled as one message of about
     * 310 KB, which audit-service refused (413, over its 256 KiB body limit), so the relay gave it up
     * as dead and the audit trail lost those entries (seen in the benchmark's intake phases).
     */
    @Test
    void aBusyRoundAuditsEveryDispatchInMessagesAuditServiceAccepts() {
        int events = 1000;
        Db.run(pool, """
                WITH ids AS (SELECT 'evt_busy' || g || '_' || md5(random()::text) AS event_id FROM generate_series(1, $1) g),
                     messages AS (
                        INSERT INTO outbox_message (id, destination, path, payload, status, delivered_at)
                        SELECT md5(event_id)::uuid, 'checkout', '/internal/stripe-events', '{}', 'delivered', now() FROM ids
                        RETURNING id)
                INSERT INTO webhook_event (event_id, type, object_id, created, livemode, payload, source, destination, message_id)
                SELECT event_id, 'payment_intent.succeeded', 'pi_' || md5(event_id), now(), false, '{}', 'delivery', 'checkout',
                       md5(event_id)::uuid FROM ids""", events);

        tracker.track().await().indefinitely();

        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event WHERE processed_at IS NULL"))
                .isZero();
        String dispatched = "FROM outbox_message WHERE destination = 'audit' AND payload LIKE '%webhook.dispatched%'";
        assertThat(Db.count(
                        pool, "SELECT coalesce(sum(json_array_length(payload::json -> 'events')), 0) " + dispatched))
                .as("one audit entry per dispatched event")
                .isEqualTo(events);
        assertThat(Db.count(pool, "SELECT max(octet_length(payload)) " + dispatched))
                .as("every message within audit-service's body limit (payments.http.max-body-bytes)")
                .isLessThanOrEqualTo(bodyLimit);
        assertThat(Db.count(pool, "SELECT max(json_array_length(payload::json -> 'events')) " + dispatched))
                .isLessThanOrEqualTo(AuditOutbox.MAX_EVENTS_PER_MESSAGE);
    }

    @Test
    void anEventWhoseDeliveredMessageWasCleanedUpBeforeTrackingIsMarkedWithoutALag() {
        String eventId = Events.newId();
        deliver(Events.paymentSucceeded(eventId));
        relayUntilQuiet();
        // the outbox clean-up ran before the tracker: the message, older than keep-delivered, is gone
        Db.run(pool, "DELETE FROM outbox_message WHERE destination = 'checkout' AND status = 'delivered'");
        Db.run(pool, "UPDATE webhook_event SET received_at = now() - interval '30 days'");
        // the scheduled round may have marked it in between: start from unmarked, whatever happened
        Db.run(pool, "UPDATE webhook_event SET processed_at = NULL");
        Db.run(pool, "UPDATE webhook_event_tally SET processed = 0");
        Db.run(pool, "DELETE FROM outbox_message WHERE destination = 'audit' AND payload LIKE '%webhook.dispatched%'");
        long before = lagCount();

        tracker.track().await().indefinitely();

        assertThat(Db.count(
                        pool,
                        "SELECT count(*) FROM webhook_event WHERE processed_at IS NOT NULL AND event_id = '" + eventId
                                + "'"))
                .isEqualTo(1);
        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event WHERE processed_at IS NULL"))
                .as("nothing left in the unprocessed index")
                .isZero();
        assertThat(
                        Db.count(
                                pool,
                                "SELECT count(*) FROM outbox_message WHERE destination = 'audit' AND payload LIKE '%webhook.dispatched%'"))
                .isEqualTo(1);
        assertThat(lagCount()).as("its delivery time went with the message").isEqualTo(before);
        assertThat(gauge("processed")).isEqualTo(1);
    }

    @Test
    void anEventWhoseMessageVanishedBeforeItCouldHaveBeenCleanedUpStaysUnprocessed() {
        String eventId = Events.newId();
        FakeServices.STRIPE_EVENTS_STATUS.set(422);
        deliver(Events.paymentSucceeded(eventId));
        relayUntilQuiet();
        // a dead message deleted by hand: never delivered, and younger than keep-delivered
        Db.run(pool, "DELETE FROM outbox_message WHERE destination = 'checkout'");

        tracker.track().await().indefinitely();

        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event WHERE processed_at IS NULL"))
                .isEqualTo(1);
        assertThat(
                        Db.count(
                                pool,
                                "SELECT count(*) FROM outbox_message WHERE destination = 'audit' AND payload LIKE '%webhook.dispatched%'"))
                .as("not audited as dispatched")
                .isZero();
    }

    @Test
    void replayDispatchesADeadEventAgain() {
        String eventId = Events.newId();
        String messageId = SqlOutbox.idFor("checkout:" + eventId).toString();
        FakeServices.STRIPE_EVENTS_STATUS.set(422);
        deliver(Events.paymentSucceeded(eventId));
        relayUntilQuiet();

        assertThat(statusOf(eventId)).isEqualTo("dead");
        assertThat(FakeServices.stripeEvents(messageId))
                .as("422 is a permanent answer: dead at once")
                .hasSize(1);
        tracker.track().await().indefinitely();
        assertThat(gauge("dead")).isEqualTo(1);
        given().header("Authorization", Tokens.admin())
                .get("/admin/api/webhooks/events?status=dead")
                .then()
                .statusCode(200)
                .body("id", hasItem(eventId))
                .body("[0].lastError", equalTo("HTTP 422"));

        given().post("/admin/api/webhooks/events/" + eventId + "/replay").then().statusCode(401);
        given().header("Authorization", Tokens.user(UUID.randomUUID()))
                .post("/admin/api/webhooks/events/" + eventId + "/replay")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().header("Authorization", Tokens.admin())
                .post("/admin/api/webhooks/events/evt_nope/replay")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");

        FakeServices.STRIPE_EVENTS_STATUS.set(200);
        given().header("Authorization", Tokens.admin())
                .post("/admin/api/webhooks/events/" + eventId + "/replay")
                .then()
                .statusCode(200)
                .body("status", equalTo("received"))
                .body("attempts", equalTo(0));
        relayUntilQuiet();

        assertThat(FakeServices.stripeEvents(messageId)).hasSize(2);
        assertThat(statusOf(eventId)).isEqualTo("processed");
        assertThat(
                        Db.count(
                                pool,
                                "SELECT count(*) FROM outbox_message WHERE destination = 'audit' AND payload LIKE '%webhook.replayed%'"))
                .isEqualTo(1);
    }

    /**
     * Events due for checkout leave many per request, {"events":[...]} in stored order; refund's
     * (same path, bare events) one per request with their message id.
     */
    @Test
    void eventsForCheckoutTravelManyPerRequestAndRefundsOneByOne() throws Exception {
        List<String> succeeded = List.of(Events.newId(), Events.newId(), Events.newId());
        List<String> refunded = List.of(Events.newId(), Events.newId());
        for (String id : succeeded) {
            deliver(Events.paymentSucceeded(id));
        }
        for (String id : refunded) {
            deliver(Events.of(id, "charge.refunded", "ch_" + id.substring(4)));
        }

        relayUntilQuiet();

        List<FakeServices.Received> toCheckout = FakeServices.RECEIVED.stream()
                .filter(r -> r.destination().equals("checkout") && r.path().equals("/internal/stripe-events"))
                .toList();
        assertThat(toCheckout).hasSize(1);
        assertThat(toCheckout.get(0).messageId()).isNull(); // a merged request: each event is deduplicated by its id
        List<String> ids = new ArrayList<>();
        json.readTree(toCheckout.get(0).body())
                .path("events")
                .forEach(e -> ids.add(e.path("id").asText()));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(succeeded);
        for (String id : refunded) {
            List<FakeServices.Received> toRefund =
                    FakeServices.stripeEvents(SqlOutbox.idFor("refund:" + id).toString());
            assertThat(toRefund).hasSize(1);
            assertThat(json.readTree(toRefund.get(0).body()).path("id").asText())
                    .isEqualTo(id);
        }
        assertThat(Db.count(
                        pool,
                        "SELECT count(*) FROM outbox_message WHERE destination <> 'audit' AND status = 'delivered'"))
                .isEqualTo(5);
    }

    @Test
    void listsEventsByStatusTypeAndTime() {
        String succeeded = Events.newId();
        String refunded = Events.newId();
        deliver(Events.paymentSucceeded(succeeded));
        deliver(Events.of(refunded, "charge.refunded", "ch_" + refunded.substring(4)));
        String admin = Tokens.admin();

        given().header("Authorization", admin)
                .get("/admin/api/webhooks/events?status=received")
                .then()
                .statusCode(200)
                .body("id", hasItem(succeeded))
                .body("id", hasItem(refunded));
        given().header("Authorization", admin)
                .get("/admin/api/webhooks/events?type=charge.refunded")
                .then()
                .statusCode(200)
                .body("id", hasItem(refunded))
                .body("id", not(hasItem(succeeded)))
                .body("[0].destination", equalTo("refund"));
        given().header("Authorization", admin)
                .queryParam("since", OffsetDateTime.now().plusMinutes(1).toString())
                .get("/admin/api/webhooks/events")
                .then()
                .statusCode(200)
                .body("size()", equalTo(0));
        given().header("Authorization", admin)
                .get("/admin/api/webhooks/events?status=lost")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().header("Authorization", admin)
                .get("/admin/api/webhooks/events?since=yesterday")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().get("/admin/api/webhooks/events").then().statusCode(401);
    }

    private void deliver(String payload) {
        given().contentType("application/json")
                .header("Stripe-Signature", Signer.header(payload))
                .body(payload)
                .post("/webhooks/stripe")
                .then()
                .statusCode(200);
    }

    private void relayUntilQuiet() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (Db.count(pool, "SELECT count(*) FROM outbox_message WHERE status = 'pending'") > 0
                && System.nanoTime() < deadline) {
            relay.relayDue().await().indefinitely();
            Thread.onSpinWait();
        }
    }

    private String statusOf(String eventId) {
        return given().header("Authorization", Tokens.admin())
                .get("/admin/api/webhooks/events")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("find { it.id == '" + eventId + "' }.status");
    }

    private long lagCount() {
        Timer timer = registry.find("homepage_webhooks_processing_lag")
                .tag("event_type", "payment_intent.succeeded")
                .timer();
        return timer == null ? 0 : timer.count();
    }

    private double gauge(String status) {
        return registry.find("homepage_webhooks_events")
                .tag("status", status)
                .gauge()
                .value();
    }
}
