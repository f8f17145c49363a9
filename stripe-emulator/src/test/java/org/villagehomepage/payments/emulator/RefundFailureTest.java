package org.villagehomepage.payments.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.model.Charge;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.param.EventListParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Asynchronous refund failures and Dashboard refunds, driven with stripe-java. */
class RefundFailureTest extends EmulatorApiTest {

    private static PaymentIntent paidWith(String paymentMethod, long amount) throws Exception {
        return stripe.v1()
                .paymentIntents()
                .create(PaymentIntentCreateParams.builder()
                        .setAmount(amount)
                        .setCurrency("usd")
                        .addPaymentMethodType("card")
                        .setPaymentMethod(paymentMethod)
                        .setConfirm(true)
                        .build());
    }

    /** The refund-related events of one refund, oldest first. */
    private static List<String> eventTypesOf(String refundId) throws Exception {
        List<Event> events = stripe.v1()
                .events()
                .list(EventListParams.builder().setLimit(100L).build())
                .getData();
        return events.reversed().stream()
                .filter(e -> e.getType().startsWith("refund.") || e.getType().equals("charge.refund.updated"))
                .filter(e -> ((Refund) e.getDataObjectDeserializer().getObject().orElseThrow())
                        .getId()
                        .equals(refundId))
                .map(Event::getType)
                .toList();
    }

    @Test
    void aRefundOfTheRefundFailCardIsCreatedSucceededThenFails() throws Exception {
        PaymentIntent pi = paidWith("pm_card_refundFail", 1000);
        assertEquals("succeeded", pi.getStatus());
        Refund created = stripe.v1()
                .refunds()
                .create(RefundCreateParams.builder()
                        .setPaymentIntent(pi.getId())
                        .setAmount(400L)
                        .putMetadata("refund_request_id", "r-1")
                        .build());
        assertEquals("succeeded", created.getStatus(), "created succeeded, as Stripe answers");

        Refund now = stripe.v1().refunds().retrieve(created.getId());
        assertEquals("failed", now.getStatus());
        assertEquals("expired_or_canceled_card", now.getFailureReason());
        assertEquals("r-1", now.getMetadata().get("refund_request_id"));
        Charge charge = stripe.v1().charges().retrieve(pi.getLatestCharge());
        assertEquals(0L, charge.getAmountRefunded(), "the failed refund gives the amount back to the charge");
        assertFalse(charge.getRefunded());
        assertEquals(
                List.of("refund.created", "refund.updated", "refund.failed", "charge.refund.updated"),
                eventTypesOf(created.getId()));

        Event updated = stripe.v1()
                .events()
                .list(EventListParams.builder().setType("refund.updated").build())
                .getData()
                .get(0);
        assertEquals(
                "failed",
                ((Refund) updated.getDataObjectDeserializer().getObject().orElseThrow()).getStatus());
        assertEquals("succeeded", updated.getData().getPreviousAttributes().get("status"));
    }

    @Test
    void theFailHelperFailsOneGivenRefundLater() throws Exception {
        PaymentIntent pi = paidWith("pm_card_visa", 1000);
        Refund first = stripe.v1()
                .refunds()
                .create(RefundCreateParams.builder()
                        .setPaymentIntent(pi.getId())
                        .setAmount(300L)
                        .build());
        Refund second = stripe.v1()
                .refunds()
                .create(RefundCreateParams.builder()
                        .setPaymentIntent(pi.getId())
                        .setAmount(200L)
                        .build());
        assertEquals(500L, stripe.v1().charges().retrieve(pi.getLatestCharge()).getAmountRefunded());

        HttpResponse<String> failed =
                EmulatorTestSupport.helper(emulator, "POST", "/_emulator/refunds/" + first.getId() + "/fail", null);
        assertEquals(200, failed.statusCode(), failed.body());
        assertEquals("failed", Json.read(failed.body()).get("status").asText());
        assertEquals("failed", stripe.v1().refunds().retrieve(first.getId()).getStatus());
        assertEquals("succeeded", stripe.v1().refunds().retrieve(second.getId()).getStatus());
        Charge charge = stripe.v1().charges().retrieve(pi.getLatestCharge());
        assertEquals(200L, charge.getAmountRefunded());
        assertEquals(
                "failed",
                charge.getRefunds().getData().stream()
                        .filter(r -> r.getId().equals(first.getId()))
                        .findFirst()
                        .orElseThrow()
                        .getStatus());
        assertEquals(
                List.of("refund.created", "refund.updated", "refund.failed", "charge.refund.updated"),
                eventTypesOf(first.getId()));

        // a failed refund cannot fail again; an unknown one is a 404
        assertEquals(
                400,
                EmulatorTestSupport.helper(emulator, "POST", "/_emulator/refunds/" + first.getId() + "/fail", null)
                        .statusCode());
        assertEquals(
                404,
                EmulatorTestSupport.helper(emulator, "POST", "/_emulator/refunds/re_nope/fail", null)
                        .statusCode());
    }

    @Test
    void aDashboardRefundCarriesNoMetadataAndNoIdempotencyKey() throws Exception {
        PaymentIntent pi = paidWith("pm_card_visa", 900);
        HttpResponse<String> made = EmulatorTestSupport.helper(
                emulator,
                "POST",
                "/_emulator/dashboard/refunds",
                "{\"payment_intent\":\"" + pi.getId() + "\",\"amount\":250}");
        assertEquals(200, made.statusCode(), made.body());
        String id = Json.read(made.body()).get("id").asText();

        Refund refund = stripe.v1().refunds().retrieve(id);
        assertEquals("succeeded", refund.getStatus());
        assertEquals(250L, refund.getAmount());
        assertEquals(pi.getId(), refund.getPaymentIntent());
        assertTrue(refund.getMetadata().isEmpty());
        assertEquals(250L, stripe.v1().charges().retrieve(pi.getLatestCharge()).getAmountRefunded());
        Event created = stripe.v1()
                .events()
                .list(EventListParams.builder().setType("refund.created").build())
                .getData()
                .get(0);
        assertNull(created.getRequest().getIdempotencyKey());

        // the whole rest, by charge, when no amount is given
        HttpResponse<String> rest = EmulatorTestSupport.helper(
                emulator, "POST", "/_emulator/dashboard/refunds", "{\"charge\":\"" + pi.getLatestCharge() + "\"}");
        assertEquals(650L, Json.read(rest.body()).get("amount").asLong());
        assertEquals(
                400,
                EmulatorTestSupport.helper(emulator, "POST", "/_emulator/dashboard/refunds", "{}")
                        .statusCode());
    }

    @Test
    void aRefundOfTheRefundPendingCardStaysPendingUntilFailed() throws Exception {
        PaymentIntent pi = paidWith("pm_card_refundPending", 500);
        Refund refund = stripe.v1()
                .refunds()
                .create(RefundCreateParams.builder()
                        .setPaymentIntent(pi.getId())
                        .build());
        assertEquals("pending", refund.getStatus());
        assertEquals("pending", stripe.v1().refunds().retrieve(refund.getId()).getStatus());
        assertEquals(500L, stripe.v1().charges().retrieve(pi.getLatestCharge()).getAmountRefunded());
        assertEquals(
                200,
                EmulatorTestSupport.helper(emulator, "POST", "/_emulator/refunds/" + refund.getId() + "/fail", null)
                        .statusCode());
        assertEquals("failed", stripe.v1().refunds().retrieve(refund.getId()).getStatus());
        assertEquals(0L, stripe.v1().charges().retrieve(pi.getLatestCharge()).getAmountRefunded());
    }
}
