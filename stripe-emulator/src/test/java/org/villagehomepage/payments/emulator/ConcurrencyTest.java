package org.villagehomepage.payments.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.StripeClient;
import com.stripe.model.PaymentIntent;
import com.stripe.param.EventListParams;
import com.stripe.param.PaymentIntentConfirmParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Many clients at once: every object and event exists once and every delivery lands. */
class ConcurrencyTest {

    @Test
    void concurrentRequestsAndDeliveries() throws Exception {
        String secret = "whsec_concurrency";
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try (WebhookReceiver receiver = new WebhookReceiver(List.of(secret));
                StripeEmulator emulator = StripeEmulator.start(EmulatorConfig.builder()
                        .webhookEndpoint(receiver.url(), secret)
                        .build())) {
            StripeClient stripe = EmulatorTestSupport.client(emulator);
            Set<String> ids = ConcurrentHashMap.newKeySet();
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                work.add(clients.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        PaymentIntent pi = stripe.v1()
                                .paymentIntents()
                                .create(PaymentIntentCreateParams.builder()
                                        .setAmount(1000L)
                                        .setCurrency("usd")
                                        .build());
                        stripe.v1()
                                .paymentIntents()
                                .confirm(
                                        pi.getId(),
                                        PaymentIntentConfirmParams.builder()
                                                .setPaymentMethod("pm_card_visa")
                                                .build());
                        stripe.v1()
                                .refunds()
                                .create(RefundCreateParams.builder()
                                        .setPaymentIntent(pi.getId())
                                        .setAmount(100L)
                                        .build());
                        ids.add(pi.getId());
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
            assertEquals(60, ids.size());
            assertTrue(emulator.awaitDeliveriesIdle(Duration.ofSeconds(30)));
            // created, charge.succeeded, succeeded, charge.refunded, refund.created per intent
            assertEquals(300, receiver.received().size());
            assertTrue(receiver.received().stream().allMatch(WebhookReceiver.Received::verified));
            assertEquals(
                    300,
                    receiver.received().stream()
                            .map(WebhookReceiver.Received::eventId)
                            .distinct()
                            .count());
            int undelivered = 0;
            for (var ignored : stripe.v1()
                    .events()
                    .list(EventListParams.builder().setDeliverySuccess(false).build())
                    .autoPagingIterable()) {
                undelivered++;
            }
            assertEquals(0, undelivered);
        } finally {
            clients.shutdownNow();
        }
    }
}
