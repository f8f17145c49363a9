package org.villagehomepage.payments.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.Stripe;
import com.stripe.model.Charge;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeCollection;
import com.stripe.param.EventListParams;
import com.stripe.param.PaymentIntentCancelParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.RefundUpdateParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventsApiTest extends EmulatorApiTest {
    @Test
    void apiVersionIsTheOneStripeJavaExpects() {
        assertEquals(Stripe.API_VERSION, StripeEmulator.API_VERSION);
    }

    private static List<String> types(StripeCollection<Event> events) {
        List<String> out = new ArrayList<>();
        events.getData().forEach(e -> out.add(e.getType()));
        return out;
    }

    @Test
    void everyStateChangeMakesAnEvent() throws Exception {
        PaymentIntent pi = stripe.v1()
                .paymentIntents()
                .create(
                        PaymentIntentCreateParams.builder()
                                .setAmount(1200L)
                                .setCurrency("usd")
                                .putMetadata("k", "v")
                                .build(),
                        com.stripe.net.RequestOptions.builder()
                                .setIdempotencyKey("idem-events-1")
                                .build());
        PaymentIntent declined = stripe.v1()
                .paymentIntents()
                .create(PaymentIntentCreateParams.builder()
                        .setAmount(50L)
                        .setCurrency("usd")
                        .build());
        try {
            stripe.v1()
                    .paymentIntents()
                    .confirm(
                            declined.getId(),
                            com.stripe.param.PaymentIntentConfirmParams.builder()
                                    .setPaymentMethod("pm_card_chargeDeclined")
                                    .build());
        } catch (com.stripe.exception.CardException expected) {
            // recorded as payment_failed
        }
        stripe.v1()
                .paymentIntents()
                .cancel(declined.getId(), PaymentIntentCancelParams.builder().build());
        PaymentIntent paid = stripe.v1()
                .paymentIntents()
                .confirm(
                        pi.getId(),
                        com.stripe.param.PaymentIntentConfirmParams.builder()
                                .setPaymentMethod("pm_card_visa")
                                .build());
        Refund refund = stripe.v1()
                .refunds()
                .create(RefundCreateParams.builder()
                        .setPaymentIntent(pi.getId())
                        .setAmount(200L)
                        .build());
        stripe.v1()
                .refunds()
                .update(
                        refund.getId(),
                        RefundUpdateParams.builder().putMetadata("a", "b").build());
        EmulatorTestSupport.helper(emulator, "POST", "/_emulator/charges/" + paid.getLatestCharge() + "/dispute", "{}");
        String disputeId = stripe.v1().disputes().list().getData().get(0).getId();
        EmulatorTestSupport.helper(
                emulator, "POST", "/_emulator/disputes/" + disputeId + "/close", "{\"status\":\"won\"}");

        StripeCollection<Event> all = stripe.v1()
                .events()
                .list(EventListParams.builder().setLimit(100L).build());
        assertEquals(
                List.of(
                        "charge.dispute.closed",
                        "charge.dispute.created",
                        "refund.updated",
                        "refund.created",
                        "charge.refunded",
                        "payment_intent.succeeded",
                        "charge.succeeded",
                        "payment_intent.canceled",
                        "payment_intent.payment_failed",
                        "charge.failed",
                        "payment_intent.created",
                        "payment_intent.created"),
                types(all));

        for (Event e : all.getData()) {
            assertEquals(Stripe.API_VERSION, e.getApiVersion());
            assertFalse(e.getLivemode());
            assertTrue(e.getDataObjectDeserializer().getObject().isPresent(), e.getType());
            assertTrue(e.getId().startsWith("evt_"));
        }
        Event created = all.getData().get(all.getData().size() - 1);
        assertEquals("idem-events-1", created.getRequest().getIdempotencyKey());
        assertTrue(created.getRequest().getId().startsWith("req_"));
        PaymentIntent snapshot =
                (PaymentIntent) created.getDataObjectDeserializer().getObject().get();
        assertEquals("requires_payment_method", snapshot.getStatus());
        assertEquals(Map.of("k", "v"), snapshot.getMetadata());

        Event chargeRefunded =
                stripe.v1().events().retrieve(all.getData().get(4).getId());
        Charge refundedCharge =
                (Charge) chargeRefunded.getDataObjectDeserializer().getObject().get();
        assertEquals(200L, refundedCharge.getAmountRefunded());
        assertEquals(
                0L, ((Number) chargeRefunded.getData().getPreviousAttributes().get("amount_refunded")).longValue());
        assertEquals(
                "needs_response",
                all.getData().get(0).getData().getPreviousAttributes().get("status"));
        assertInstanceOf(
                com.stripe.model.Dispute.class,
                all.getData().get(0).getDataObjectDeserializer().getObject().get());
    }

    @Test
    void filtersByTypeWildcardTypesAndCreated() throws Exception {
        PaymentIntent a = stripe.v1()
                .paymentIntents()
                .create(PaymentIntentCreateParams.builder()
                        .setAmount(100L)
                        .setCurrency("usd")
                        .addPaymentMethodType("card")
                        .setPaymentMethod("pm_card_visa")
                        .setConfirm(true)
                        .build());
        emulator.advanceClock(Duration.ofSeconds(60));
        stripe.v1()
                .refunds()
                .create(RefundCreateParams.builder().setPaymentIntent(a.getId()).build());

        assertEquals(
                List.of("payment_intent.succeeded", "payment_intent.created"),
                types(stripe.v1()
                        .events()
                        .list(EventListParams.builder()
                                .setType("payment_intent.*")
                                .build())));
        assertEquals(
                List.of("charge.refunded"),
                types(stripe.v1()
                        .events()
                        .list(EventListParams.builder()
                                .setType("charge.refunded")
                                .build())));
        assertEquals(
                List.of("refund.created", "charge.succeeded"),
                types(stripe.v1()
                        .events()
                        .list(EventListParams.builder()
                                .addType("refund.created")
                                .addType("charge.succeeded")
                                .build())));

        Event first = stripe.v1()
                .events()
                .list(EventListParams.builder()
                        .setType("payment_intent.created")
                        .build())
                .getData()
                .get(0);
        // between the two requests: the refund came 60 s of emulator clock later, while a wall-clock
        // second may tick between the events of one request (seen in CI on a cold JVM)
        long between = first.getCreated() + 30;
        assertEquals(
                List.of("refund.created", "charge.refunded"),
                types(stripe.v1()
                        .events()
                        .list(EventListParams.builder()
                                .setCreated(EventListParams.Created.builder()
                                        .setGt(between)
                                        .build())
                                .build())));
        assertEquals(
                3,
                stripe.v1()
                        .events()
                        .list(EventListParams.builder()
                                .setCreated(EventListParams.Created.builder()
                                        .setLte(between)
                                        .build())
                                .build())
                        .getData()
                        .size());
        assertEquals(
                5,
                stripe.v1()
                        .events()
                        .list(EventListParams.builder()
                                .setCreated(EventListParams.Created.builder()
                                        .setGte(first.getCreated())
                                        .setLt(first.getCreated() + 3600)
                                        .build())
                                .build())
                        .getData()
                        .size());

        StripeCollection<Event> page1 =
                stripe.v1().events().list(EventListParams.builder().setLimit(2L).build());
        assertTrue(page1.getHasMore());
        StripeCollection<Event> page2 = stripe.v1()
                .events()
                .list(EventListParams.builder()
                        .setLimit(2L)
                        .setStartingAfter(page1.getData().get(1).getId())
                        .build());
        assertEquals(List.of("payment_intent.succeeded", "charge.succeeded"), types(page2));
        StripeCollection<Event> back = stripe.v1()
                .events()
                .list(EventListParams.builder()
                        .setLimit(2L)
                        .setEndingBefore(page2.getData().get(0).getId())
                        .build());
        assertEquals(types(page1), types(back));
        assertNotNull(stripe.v1().events().retrieve(page1.getData().get(0).getId()));
    }
}
