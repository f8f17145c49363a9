package org.villagehomepage.payments.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Charge;
import com.stripe.model.Dispute;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.StripeCollection;
import com.stripe.param.DisputeListParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.RefundListParams;
import com.stripe.param.RefundUpdateParams;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class RefundAndDisputeTest extends EmulatorApiTest {
    static PaymentIntent paid(long amount) throws Exception {
        return stripe.v1()
                .paymentIntents()
                .create(PaymentIntentCreateParams.builder()
                        .setAmount(amount)
                        .setCurrency("eur")
                        .addPaymentMethodType("card")
                        .setPaymentMethod("pm_card_visa")
                        .setConfirm(true)
                        .putMetadata("listing", "L1")
                        .build());
    }

    @Test
    void partialThenFullRefundThenNothingLeft() throws Exception {
        PaymentIntent pi = paid(1000);
        Refund partial = stripe.v1()
                .refunds()
                .create(RefundCreateParams.builder()
                        .setPaymentIntent(pi.getId())
                        .setAmount(300L)
                        .setReason(RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER)
                        .putMetadata("why", "partial")
                        .build());
        assertTrue(partial.getId().startsWith("re_"));
        assertEquals("succeeded", partial.getStatus());
        assertEquals(300L, partial.getAmount());
        assertEquals(pi.getLatestCharge(), partial.getCharge());
        assertEquals(pi.getId(), partial.getPaymentIntent());
        assertEquals("requested_by_customer", partial.getReason());
        assertEquals("partial", partial.getMetadata().get("why"));

        Charge charge = stripe.v1().charges().retrieve(pi.getLatestCharge());
        assertEquals(300L, charge.getAmountRefunded());
        assertFalse(charge.getRefunded());

        InvalidRequestException tooLarge = assertThrows(
                InvalidRequestException.class,
                () -> stripe.v1()
                        .refunds()
                        .create(RefundCreateParams.builder()
                                .setCharge(charge.getId())
                                .setAmount(701L)
                                .build()));
        assertEquals(400, tooLarge.getStatusCode());
        assertEquals("amount_too_large", tooLarge.getCode());

        Refund rest = stripe.v1()
                .refunds()
                .create(RefundCreateParams.builder().setCharge(charge.getId()).build());
        assertEquals(700L, rest.getAmount());
        Charge refunded = stripe.v1().charges().retrieve(charge.getId());
        assertEquals(1000L, refunded.getAmountRefunded());
        assertTrue(refunded.getRefunded());

        InvalidRequestException none = assertThrows(
                InvalidRequestException.class,
                () -> stripe.v1()
                        .refunds()
                        .create(RefundCreateParams.builder()
                                .setPaymentIntent(pi.getId())
                                .build()));
        assertEquals("charge_already_refunded", none.getCode());
        assertEquals("invalid_request_error", none.getStripeError().getType());

        assertEquals(
                partial.getId(), stripe.v1().refunds().retrieve(partial.getId()).getId());
        Refund updated = stripe.v1()
                .refunds()
                .update(
                        partial.getId(),
                        RefundUpdateParams.builder()
                                .putMetadata("ticket", "T-9")
                                .build());
        assertEquals("T-9", updated.getMetadata().get("ticket"));
    }

    @Test
    void listRefundsWithFiltersAndPagination() throws Exception {
        PaymentIntent a = paid(500);
        PaymentIntent b = paid(800);
        Refund a1 = stripe.v1()
                .refunds()
                .create(RefundCreateParams.builder()
                        .setPaymentIntent(a.getId())
                        .setAmount(100L)
                        .build());
        Refund a2 = stripe.v1()
                .refunds()
                .create(RefundCreateParams.builder()
                        .setPaymentIntent(a.getId())
                        .setAmount(100L)
                        .build());
        Refund b1 = stripe.v1()
                .refunds()
                .create(RefundCreateParams.builder().setPaymentIntent(b.getId()).build());

        StripeCollection<Refund> all = stripe.v1()
                .refunds()
                .list(RefundListParams.builder().setLimit(2L).build());
        assertEquals(b1.getId(), all.getData().get(0).getId());
        assertEquals(a2.getId(), all.getData().get(1).getId());
        assertTrue(all.getHasMore());
        StripeCollection<Refund> next = stripe.v1()
                .refunds()
                .list(RefundListParams.builder()
                        .setLimit(2L)
                        .setStartingAfter(a2.getId())
                        .build());
        assertEquals(a1.getId(), next.getData().get(0).getId());
        assertFalse(next.getHasMore());

        StripeCollection<Refund> forA = stripe.v1()
                .refunds()
                .list(RefundListParams.builder().setPaymentIntent(a.getId()).build());
        assertEquals(2, forA.getData().size());
        StripeCollection<Refund> forB = stripe.v1()
                .refunds()
                .list(RefundListParams.builder().setCharge(b.getLatestCharge()).build());
        assertEquals(1, forB.getData().size());
        assertEquals(b1.getId(), forB.getData().get(0).getId());
    }

    /** What disaster recovery reads: refunds created since a time, page by page, each with its metadata. */
    @Test
    void listRefundsCreatedSinceATimeCarriesTheirMetadata() throws Exception {
        PaymentIntent old = paid(500);
        stripe.v1()
                .refunds()
                .create(RefundCreateParams.builder()
                        .setPaymentIntent(old.getId())
                        .setAmount(100L)
                        .build());
        emulator.advanceClock(java.time.Duration.ofHours(2));
        long since = java.time.Instant.now().plus(java.time.Duration.ofHours(1)).getEpochSecond();
        PaymentIntent recent = paid(900);
        Refund r1 = stripe.v1()
                .refunds()
                .create(RefundCreateParams.builder()
                        .setPaymentIntent(recent.getId())
                        .setAmount(100L)
                        .putMetadata("refund_request_id", "req-1")
                        .putMetadata("refund_reason", "user_request")
                        .build());
        Refund r2 = stripe.v1()
                .refunds()
                .create(RefundCreateParams.builder()
                        .setPaymentIntent(recent.getId())
                        .setAmount(200L)
                        .putMetadata("refund_request_id", "req-2")
                        .build());

        StripeCollection<Refund> first = stripe.v1()
                .refunds()
                .list(RefundListParams.builder()
                        .setLimit(1L)
                        .setCreated(
                                RefundListParams.Created.builder().setGte(since).build())
                        .build());
        assertEquals(r2.getId(), first.getData().get(0).getId());
        assertEquals("req-2", first.getData().get(0).getMetadata().get("refund_request_id"));
        assertTrue(first.getHasMore());
        StripeCollection<Refund> second = stripe.v1()
                .refunds()
                .list(RefundListParams.builder()
                        .setLimit(1L)
                        .setCreated(
                                RefundListParams.Created.builder().setGte(since).build())
                        .setStartingAfter(r2.getId())
                        .build());
        assertEquals(r1.getId(), second.getData().get(0).getId());
        assertEquals("user_request", second.getData().get(0).getMetadata().get("refund_reason"));
        assertEquals(recent.getId(), second.getData().get(0).getPaymentIntent());
        assertFalse(second.getHasMore());
    }

    @Test
    void refundNeedsASuccessfulCharge() throws Exception {
        PaymentIntent open = stripe.v1()
                .paymentIntents()
                .create(PaymentIntentCreateParams.builder()
                        .setAmount(100L)
                        .setCurrency("usd")
                        .build());
        InvalidRequestException e = assertThrows(
                InvalidRequestException.class,
                () -> stripe.v1()
                        .refunds()
                        .create(RefundCreateParams.builder()
                                .setPaymentIntent(open.getId())
                                .build()));
        assertEquals(400, e.getStatusCode());
    }

    @Test
    void disputeLifecycleThroughHelpers() throws Exception {
        PaymentIntent pi = paid(2000);
        HttpResponse<String> created = EmulatorTestSupport.helper(
                emulator,
                "POST",
                "/_emulator/charges/" + pi.getLatestCharge() + "/dispute",
                "{\"reason\":\"fraudulent\",\"amount\":1500}");
        assertEquals(200, created.statusCode(), created.body());
        JsonNode du = Json.read(created.body());
        String id = du.get("id").asText();
        assertTrue(id.startsWith("du_"));

        Dispute dispute = stripe.v1().disputes().retrieve(id);
        assertEquals(1500L, dispute.getAmount());
        assertEquals("fraudulent", dispute.getReason());
        assertEquals("needs_response", dispute.getStatus());
        assertEquals(pi.getLatestCharge(), dispute.getCharge());
        assertEquals(pi.getId(), dispute.getPaymentIntent());
        assertTrue(stripe.v1().charges().retrieve(pi.getLatestCharge()).getDisputed());

        InvalidRequestException noRefund = assertThrows(
                InvalidRequestException.class,
                () -> stripe.v1()
                        .refunds()
                        .create(RefundCreateParams.builder()
                                .setPaymentIntent(pi.getId())
                                .build()));
        assertEquals("charge_disputed", noRefund.getCode());

        HttpResponse<String> closed = EmulatorTestSupport.helper(
                emulator, "POST", "/_emulator/disputes/" + id + "/close", "{\"status\":\"lost\"}");
        assertEquals(200, closed.statusCode());
        assertEquals("lost", stripe.v1().disputes().retrieve(id).getStatus());
        assertEquals(
                400,
                EmulatorTestSupport.helper(
                                emulator, "POST", "/_emulator/disputes/" + id + "/close", "{\"status\":\"won\"}")
                        .statusCode());

        PaymentIntent accepted = paid(300);
        String acceptedId = Json.read(EmulatorTestSupport.helper(
                                emulator,
                                "POST",
                                "/_emulator/charges/" + accepted.getLatestCharge() + "/dispute",
                                "{\"reason\":\"product_not_received\"}")
                        .body())
                .get("id")
                .asText();
        Dispute closedByMerchant = stripe.v1().disputes().close(acceptedId);
        assertEquals("lost", closedByMerchant.getStatus());
        assertEquals("product_not_received", closedByMerchant.getReason());

        PaymentIntent other = paid(900);
        EmulatorTestSupport.helper(
                emulator, "POST", "/_emulator/charges/" + other.getLatestCharge() + "/dispute", "{}");
        StripeCollection<Dispute> list = stripe.v1()
                .disputes()
                .list(DisputeListParams.builder().setLimit(1L).build());
        assertEquals(1, list.getData().size());
        assertEquals(other.getLatestCharge(), list.getData().get(0).getCharge());
        assertEquals(900L, list.getData().get(0).getAmount());
        assertTrue(list.getHasMore());
        assertEquals(
                404,
                EmulatorTestSupport.helper(emulator, "POST", "/_emulator/charges/ch_nope/dispute", "{}")
                        .statusCode());
    }
}
