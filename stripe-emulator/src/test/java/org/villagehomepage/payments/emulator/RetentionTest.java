package org.villagehomepage.payments.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.StripeClient;
import com.stripe.model.PaymentIntent;
import com.stripe.param.PaymentIntentCreateParams;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bounded memory: past its byte budget the emulator evicts its oldest objects, events and keys. */
class RetentionTest {
    private static final long BUDGET = 400_000;

    @Test
    void oldestObjectsEventsAndKeysAreEvictedPastTheBudgetAndTheNewestStay() throws Exception {
        try (StripeEmulator emulator = StripeEmulator.start(
                EmulatorConfig.builder().retainBytes(BUDGET).build())) {
            StripeClient stripe = EmulatorTestSupport.client(emulator);
            List<String> ids = createIntents(emulator, "&payment_method=pm_card_visa&confirm=true", "retention-");
            JsonNode retention = retention(emulator);
            assertTrue(retention.get("evicted").asLong() > 0, retention.toString());
            assertTrue(retention.get("bytes").asLong() <= BUDGET, retention.toString());

            // the oldest intent is gone, as Stripe answers for an unknown id
            assertEquals(
                    404,
                    EmulatorTestSupport.get(emulator, "/v1/payment_intents/" + ids.get(0))
                            .statusCode());
            // the newest is whole: stripe-java reads it, its charge expands
            PaymentIntent newest = stripe.v1().paymentIntents().retrieve(ids.get(599));
            assertEquals("succeeded", newest.getStatus());
            assertEquals(699L, newest.getAmountReceived());
            HttpResponse<String> expanded = EmulatorTestSupport.get(
                    emulator, "/v1/payment_intents/" + ids.get(599) + "?expand[]=latest_charge");
            assertEquals(
                    "charge",
                    Json.read(expanded.body())
                            .get("latest_charge")
                            .get("object")
                            .asText());
            // its idempotency key still replays
            HttpResponse<String> replay = EmulatorTestSupport.post(
                    emulator,
                    "/v1/payment_intents",
                    "amount=699&currency=usd&payment_method=pm_card_visa&confirm=true",
                    Map.of("Idempotency-Key", "retention-599"));
            assertEquals(
                    "true", replay.headers().firstValue("Idempotent-Replayed").orElse(null));
            assertEquals(ids.get(599), Json.read(replay.body()).get("id").asText());

            // events are bounded too: the list holds the newest, not all 1,800 (created, succeeded, charge)
            int events = 0;
            String after = null;
            while (true) {
                JsonNode page = Json.read(EmulatorTestSupport.get(
                                emulator, "/v1/events?limit=100" + (after == null ? "" : "&starting_after=" + after))
                        .body());
                events += page.get("data").size();
                if (!page.get("has_more").asBoolean()) {
                    break;
                }
                after = page.get("data")
                        .get(page.get("data").size() - 1)
                        .get("id")
                        .asText();
            }
            assertTrue(events > 0 && events < 1800, "events kept: " + events);

            // and a state change of a kept object still works after the round trip through compact storage
            PaymentIntent created = stripe.v1()
                    .paymentIntents()
                    .create(PaymentIntentCreateParams.builder()
                            .setAmount(500L)
                            .setCurrency("usd")
                            .build());
            PaymentIntent canceled = stripe.v1().paymentIntents().cancel(created.getId());
            assertEquals("canceled", canceled.getStatus());
        }
    }

    /**
     * Finished idempotency keys and deliveries queued for an endpoint that is down stay within their
     * shares too: each kept key holds a response body of over 1,000 bytes and each queued delivery an
     * event payload of over 500 bytes (deflated), so count x size bounds what they really hold.
     */
    @Test
    void idempotencyKeysAndQueuedDeliveriesStayWithinTheirShareOfTheBudget() throws Exception {
        try (StripeEmulator emulator = StripeEmulator.start(EmulatorConfig.builder()
                .retainBytes(BUDGET)
                .webhookEndpoint("http://127.0.0.1:1/hook", "whsec_down")
                .build())) {
            createIntents(emulator, "", "bounded-");
            JsonNode retention = retention(emulator);
            JsonNode keys = retention.get("idempotencyKeys");
            assertTrue(keys.get("evicted").asLong() > 0, retention.toString());
            assertTrue(keys.get("count").asLong() * 1000 <= BUDGET * 15 / 100, retention.toString());
            assertTrue(keys.get("bytes").asLong() <= BUDGET * 15 / 100, retention.toString());

            JsonNode queued = retention.get("pendingDeliveries");
            assertTrue(queued.get("dropped").asLong() > 0, retention.toString());
            assertTrue(queued.get("count").asLong() * 500 <= BUDGET / 5, retention.toString());
            assertTrue(emulator.deliveries().stream()
                    .anyMatch(a -> a.dropped() && a.error() != null && a.error().contains("memory budget")));

            JsonNode events = retention.get("events");
            assertTrue(events.get("bytes").asLong() <= BUDGET / 5, retention.toString());
        }
    }

    /** 600 PaymentIntents of 1.00-6.99 usd, each with its own Idempotency-Key; their ids in order. */
    private static List<String> createIntents(StripeEmulator emulator, String moreParams, String keyPrefix)
            throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            HttpResponse<String> r = EmulatorTestSupport.post(
                    emulator,
                    "/v1/payment_intents",
                    "amount=" + (100 + i) + "&currency=usd" + moreParams,
                    Map.of("Idempotency-Key", keyPrefix + i));
            assertEquals(200, r.statusCode());
            ids.add(Json.read(r.body()).get("id").asText());
        }
        return ids;
    }

    private static JsonNode retention(StripeEmulator emulator) throws Exception {
        return Json.read(EmulatorTestSupport.helper(emulator, "GET", "/_emulator/health", null)
                        .body())
                .get("retention");
    }
}
