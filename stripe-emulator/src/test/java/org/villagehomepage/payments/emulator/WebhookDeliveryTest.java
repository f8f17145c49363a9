package org.villagehomepage.payments.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeCollection;
import com.stripe.model.WebhookEndpoint;
import com.stripe.param.EventListParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.WebhookEndpointCreateParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebhookDeliveryTest {
    static final String SECRET = "whsec_test_primary_0123456789";
    static final String NEXT_SECRET = "whsec_test_next_9876543210";

    private static EmulatorConfig.Builder fastRetries() {
        return EmulatorConfig.builder()
                .retrySchedule(Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(30))
                .deliveryTimeout(Duration.ofSeconds(2));
    }

    private static PaymentIntent payIntent(StripeClient stripe, long amount) throws Exception {
        return stripe.v1()
                .paymentIntents()
                .create(PaymentIntentCreateParams.builder()
                        .setAmount(amount)
                        .setCurrency("usd")
                        .addPaymentMethodType("card")
                        .setPaymentMethod("pm_card_visa")
                        .setConfirm(true)
                        .putMetadata("listing_id", "550e8400")
                        .build());
    }

    private static PaymentIntent openIntent(StripeClient stripe, long amount) throws Exception {
        return stripe.v1()
                .paymentIntents()
                .create(PaymentIntentCreateParams.builder()
                        .setAmount(amount)
                        .setCurrency("usd")
                        .build());
    }

    @Test
    void deliveriesAreSignedAndVerifyWithStripeJava() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(List.of(SECRET));
                StripeEmulator emulator = StripeEmulator.start(
                        fastRetries().webhookEndpoint(receiver.url(), SECRET).build())) {
            StripeClient stripe = EmulatorTestSupport.client(emulator);
            PaymentIntent pi = payIntent(stripe, 1500);
            assertTrue(emulator.awaitDeliveriesIdle(Duration.ofSeconds(10)));
            List<WebhookReceiver.Received> got = receiver.received();
            assertEquals(
                    List.of("payment_intent.created", "charge.succeeded", "payment_intent.succeeded"),
                    got.stream().map(WebhookReceiver.Received::type).toList());
            for (WebhookReceiver.Received r : got) {
                assertTrue(r.verified(), r.signature());
                assertEquals(WebhookDispatcher.USER_AGENT, r.userAgent());
                assertEquals("application/json; charset=utf-8", r.contentType());
                assertTrue(r.signature().matches("t=\\d+,v1=[0-9a-f]{64}"), r.signature());
                assertTrue(r.event().getDataObjectDeserializer().getObject().isPresent());
            }
            PaymentIntent delivered = (PaymentIntent)
                    got.get(2).event().getDataObjectDeserializer().getObject().get();
            assertEquals(pi.getId(), delivered.getId());
            assertEquals("succeeded", delivered.getStatus());
            assertEquals("550e8400", delivered.getMetadata().get("listing_id"));

            List<DeliveryAttempt> log = emulator.deliveries();
            assertEquals(3, log.size());
            assertTrue(log.stream()
                    .allMatch(a -> a.succeeded()
                            && a.attempt() == 1
                            && !a.dropped()
                            && a.endpointUrl().equals(receiver.url())));
            StripeCollection<Event> ok = stripe.v1()
                    .events()
                    .list(EventListParams.builder().setDeliverySuccess(true).build());
            assertEquals(3, ok.getData().size());
            assertTrue(ok.getData().stream().allMatch(e -> e.getPendingWebhooks() == 0));
            assertEquals(
                    0,
                    stripe.v1()
                            .events()
                            .list(EventListParams.builder()
                                    .setDeliverySuccess(false)
                                    .build())
                            .getData()
                            .size());
        }
    }

    @Test
    void rollingSecretsBothVerify() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(List.of(SECRET, NEXT_SECRET));
                WebhookReceiver onlyNew = new WebhookReceiver(List.of(NEXT_SECRET));
                StripeEmulator emulator = StripeEmulator.start(fastRetries()
                        .webhookEndpoint(receiver.url(), List.of(SECRET, NEXT_SECRET), List.of("*"))
                        .build())) {
            emulator.addWebhookEndpoint(onlyNew.url(), List.of(NEXT_SECRET, SECRET), List.of("payment_intent.created"));
            openIntent(EmulatorTestSupport.client(emulator), 100);
            assertTrue(emulator.awaitDeliveriesIdle(Duration.ofSeconds(10)));
            WebhookReceiver.Received r = receiver.received().get(0);
            assertTrue(r.verified());
            assertTrue(r.signature().matches("t=\\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}"));
            assertTrue(onlyNew.received().get(0).verified());
            assertEquals(1, onlyNew.received().size());
        }
    }

    @Test
    void webhookEndpointsApi() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(List.of("placeholder"));
                StripeEmulator emulator = StripeEmulator.start(fastRetries().build())) {
            StripeClient stripe = EmulatorTestSupport.client(emulator);
            WebhookEndpoint created = stripe.v1()
                    .webhookEndpoints()
                    .create(WebhookEndpointCreateParams.builder()
                            .setUrl(receiver.url())
                            .setDescription("orders")
                            .addEnabledEvent(WebhookEndpointCreateParams.EnabledEvent.PAYMENT_INTENT__SUCCEEDED)
                            .build());
            assertTrue(created.getId().startsWith("we_"));
            assertTrue(created.getSecret().startsWith("whsec_"));
            assertEquals(List.of("payment_intent.succeeded"), created.getEnabledEvents());
            assertEquals("enabled", created.getStatus());

            WebhookEndpoint fetched = stripe.v1().webhookEndpoints().retrieve(created.getId());
            assertNull(fetched.getSecret());
            assertEquals(receiver.url(), fetched.getUrl());
            assertEquals(1, stripe.v1().webhookEndpoints().list().getData().size());

            payIntent(stripe, 900);
            assertTrue(emulator.awaitDeliveriesIdle(Duration.ofSeconds(10)));
            List<WebhookReceiver.Received> got = receiver.received();
            assertEquals(1, got.size());
            Event event = com.stripe.net.Webhook.constructEvent(
                    got.get(0).payload(), got.get(0).signature(), created.getSecret());
            assertEquals("payment_intent.succeeded", event.getType());

            WebhookEndpoint deleted = stripe.v1().webhookEndpoints().delete(created.getId());
            assertTrue(deleted.getDeleted());
            assertEquals(0, stripe.v1().webhookEndpoints().list().getData().size());
            InvalidRequestException gone = assertThrows(
                    InvalidRequestException.class,
                    () -> stripe.v1().webhookEndpoints().retrieve(created.getId()));
            assertEquals(404, gone.getStatusCode());
            payIntent(stripe, 901);
            assertTrue(emulator.awaitDeliveriesIdle(Duration.ofSeconds(10)));
            assertEquals(1, receiver.received().size());
        }
    }

    @Test
    void aReceiverErrorIsRetriedUntilItSucceeds() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(List.of(SECRET));
                StripeEmulator emulator = StripeEmulator.start(
                        fastRetries().webhookEndpoint(receiver.url(), SECRET).build())) {
            receiver.respondWith(n -> n <= 2 ? 500 : 200);
            StripeClient stripe = EmulatorTestSupport.client(emulator);
            PaymentIntent pi = openIntent(stripe, 100);
            assertTrue(emulator.awaitDeliveriesIdle(Duration.ofSeconds(10)));
            List<DeliveryAttempt> log = emulator.deliveries();
            assertEquals(3, log.size());
            assertEquals(
                    List.of(500, 500, 200),
                    log.stream().map(DeliveryAttempt::httpStatus).toList());
            assertEquals(
                    List.of(1, 2, 3), log.stream().map(DeliveryAttempt::attempt).toList());
            assertEquals(3, receiver.received().size());
            assertEquals(
                    1,
                    receiver.received().stream()
                            .map(WebhookReceiver.Received::eventId)
                            .distinct()
                            .count());
            Event e = stripe.v1()
                    .events()
                    .list(EventListParams.builder().setDeliverySuccess(true).build())
                    .getData()
                    .get(0);
            assertEquals(
                    pi.getId(),
                    ((PaymentIntent) e.getDataObjectDeserializer().getObject().get()).getId());
        }
    }

    @Test
    void retriesFollowTheEmulatorClock() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(List.of(SECRET));
                StripeEmulator emulator = StripeEmulator.start(EmulatorConfig.builder()
                        .retrySchedule(Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofHours(1))
                        .webhookEndpoint(receiver.url(), SECRET)
                        .build())) {
            receiver.respondWith(n -> n == 1 ? 503 : 200);
            StripeClient stripe = EmulatorTestSupport.client(emulator);
            openIntent(stripe, 100);
            receiver.awaitCount(1, Duration.ofSeconds(10));
            assertFalse(emulator.awaitDeliveriesIdle(Duration.ofMillis(300)), "retry is 10 minutes away");
            assertEquals(
                    1,
                    stripe.v1()
                            .events()
                            .list(EventListParams.builder()
                                    .setDeliverySuccess(false)
                                    .build())
                            .getData()
                            .size());
            emulator.advanceClock(Duration.ofMinutes(11));
            assertTrue(emulator.awaitDeliveriesIdle(Duration.ofSeconds(10)));
            assertEquals(2, receiver.received().size());

            receiver.respondWith(n -> n == 3 ? 500 : 200);
            openIntent(stripe, 200);
            awaitLogSize(emulator, 3);
            emulator.flushDeliveries();
            assertTrue(emulator.awaitDeliveriesIdle(Duration.ofSeconds(10)));
            assertEquals(4, receiver.received().size());
        }
    }

    /** The receiver sees a request before the emulator has logged its answer and queued the retry. */
    private static void awaitLogSize(StripeEmulator emulator, int size) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (emulator.deliveries().size() < size && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(size, emulator.deliveries().size());
    }

    @Test
    void givesUpAfterTheRetryWindow() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(List.of(SECRET));
                StripeEmulator emulator = StripeEmulator.start(EmulatorConfig.builder()
                        .retrySchedule(Duration.ofMillis(20), Duration.ofMillis(40), Duration.ofMillis(600))
                        .webhookEndpoint(receiver.url(), SECRET)
                        .build())) {
            receiver.respondWith(n -> 500);
            openIntent(EmulatorTestSupport.client(emulator), 100);
            assertTrue(emulator.awaitDeliveriesIdle(Duration.ofSeconds(10)));
            int attempts = emulator.deliveries().size();
            // 600 ms of 20-40 ms retries: several attempts even on a loaded machine, and then no more
            assertTrue(attempts >= 3 && attempts <= 20, "attempts: " + attempts);
            assertTrue(emulator.deliveries().stream().noneMatch(DeliveryAttempt::succeeded));
        }
    }

    @Test
    void duplicatesCarryTheSameEventId() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(List.of(SECRET));
                StripeEmulator emulator = StripeEmulator.start(fastRetries()
                        .webhookEndpoint(receiver.url(), SECRET)
                        .faultsJson("{\"deliveries\":{\"duplicateRate\":1.0,\"duplicateCopies\":3}}")
                        .build())) {
            openIntent(EmulatorTestSupport.client(emulator), 100);
            assertTrue(emulator.awaitDeliveriesIdle(Duration.ofSeconds(10)));
            List<WebhookReceiver.Received> got = receiver.received();
            assertEquals(3, got.size());
            assertEquals(
                    1,
                    got.stream()
                            .map(WebhookReceiver.Received::eventId)
                            .distinct()
                            .count());
            assertTrue(got.stream().allMatch(WebhookReceiver.Received::verified));
        }
    }

    @Test
    void droppedDeliveriesAreOnlyFoundThroughTheEventsList() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(List.of(SECRET));
                StripeEmulator emulator = StripeEmulator.start(
                        fastRetries().webhookEndpoint(receiver.url(), SECRET).build())) {
            emulator.faults().deliveries(FaultSettings.DeliveryFaults.none().withDropRate(1.0));
            StripeClient stripe = EmulatorTestSupport.client(emulator);
            PaymentIntent pi = openIntent(stripe, 100);
            emulator.flushDeliveries();
            assertTrue(emulator.awaitDeliveriesIdle(Duration.ofSeconds(10)));
            assertEquals(0, receiver.received().size());
            List<DeliveryAttempt> log = emulator.deliveries();
            assertEquals(1, log.size());
            assertTrue(log.get(0).dropped());
            assertEquals(0, log.get(0).attempt());
            StripeCollection<Event> undelivered = stripe.v1()
                    .events()
                    .list(EventListParams.builder()
                            .setDeliverySuccess(false)
                            .setType("payment_intent.created")
                            .build());
            assertEquals(1, undelivered.getData().size());
            assertEquals(log.get(0).eventId(), undelivered.getData().get(0).getId());
            assertEquals(1L, undelivered.getData().get(0).getPendingWebhooks());
            assertEquals(
                    pi.getId(),
                    ((PaymentIntent) undelivered
                                    .getData()
                                    .get(0)
                                    .getDataObjectDeserializer()
                                    .getObject()
                                    .get())
                            .getId());
        }
    }

    @Test
    void shuffleChangesTheOrder() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(List.of(SECRET));
                StripeEmulator emulator = StripeEmulator.start(fastRetries()
                        .webhookEndpoint(receiver.url(), SECRET)
                        .shuffleWindow(Duration.ofMillis(500))
                        .build())) {
            emulator.faults().deliveries(FaultSettings.DeliveryFaults.none().withShuffle(true));
            StripeClient stripe = EmulatorTestSupport.client(emulator);
            List<String> created = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                created.add(openIntent(stripe, 100 + i).getId());
            }
            assertTrue(emulator.awaitDeliveriesIdle(Duration.ofSeconds(10)));
            List<String> order = new ArrayList<>();
            for (WebhookReceiver.Received r : receiver.received()) {
                order.add(((PaymentIntent) r.event()
                                .getDataObjectDeserializer()
                                .getObject()
                                .get())
                        .getId());
            }
            assertEquals(new HashSet<>(created), new HashSet<>(order));
            assertNotEquals(created, order);
        }
    }

    /** Drop and duplicate rates under a fixed seed: near the configured rate, and identical on a re-run. */
    @Test
    void deliveryFaultRatesAreReproducible() throws Exception {
        Map<String, Integer> first = deliveryFaultCounts();
        Map<String, Integer> second = deliveryFaultCounts();
        assertEquals(first, second);
        int dropped = first.get("dropped");
        int duplicated = first.get("duplicated");
        assertTrue(dropped >= 30 && dropped <= 70, "dropped " + dropped + " of 200 at 25%");
        // duplicates are drawn among the 150-ish not dropped
        assertTrue(duplicated >= 30 && duplicated <= 90, "duplicated " + duplicated);
    }

    private static Map<String, Integer> deliveryFaultCounts() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver(List.of(SECRET));
                StripeEmulator emulator = StripeEmulator.start(fastRetries()
                        .webhookEndpoint(receiver.url(), SECRET)
                        .faultsJson(
                                "{\"seed\":7,\"deliveries\":{\"dropRate\":0.25,\"duplicateRate\":0.4,\"duplicateCopies\":2}}")
                        .build())) {
            StripeClient stripe = EmulatorTestSupport.client(emulator);
            for (int i = 0; i < 200; i++) {
                openIntent(stripe, 100 + i);
            }
            assertTrue(emulator.awaitDeliveriesIdle(Duration.ofSeconds(30)));
            Map<String, Integer> perEvent = new HashMap<>();
            int dropped = 0;
            for (DeliveryAttempt a : emulator.deliveries()) {
                if (a.dropped()) {
                    dropped++;
                } else {
                    perEvent.merge(a.eventId(), 1, Integer::sum);
                }
            }
            Set<String> duplicated = new HashSet<>();
            perEvent.forEach((id, n) -> {
                if (n > 1) {
                    duplicated.add(id);
                }
            });
            return Map.of("dropped", dropped, "duplicated", duplicated.size());
        }
    }
}
