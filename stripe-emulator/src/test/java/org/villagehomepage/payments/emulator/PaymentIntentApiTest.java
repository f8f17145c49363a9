package org.villagehomepage.payments.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.StripeClient;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Charge;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeCollection;
import com.stripe.param.PaymentIntentCancelParams;
import com.stripe.param.PaymentIntentConfirmParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentListParams;
import com.stripe.param.PaymentIntentRetrieveParams;
import com.stripe.param.PaymentIntentUpdateParams;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaymentIntentApiTest extends EmulatorApiTest {
    private static PaymentIntent create(long amount) throws Exception {
        return stripe.v1()
                .paymentIntents()
                .create(PaymentIntentCreateParams.builder()
                        .setAmount(amount)
                        .setCurrency("usd")
                        .putMetadata("order", "o-" + amount)
                        .setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods.builder()
                                .setEnabled(true)
                                .build())
                        .build());
    }

    @Test
    void createRetrieveUpdate() throws Exception {
        PaymentIntent pi = create(1099);
        assertTrue(pi.getId().matches("pi_[A-Za-z0-9]{24}"));
        assertTrue(pi.getClientSecret().startsWith(pi.getId() + "_secret_"));
        assertEquals("requires_payment_method", pi.getStatus());
        assertEquals(1099L, pi.getAmount());
        assertEquals("usd", pi.getCurrency());
        assertEquals("o-1099", pi.getMetadata().get("order"));
        assertTrue(pi.getAutomaticPaymentMethods().getEnabled());
        assertFalse(pi.getLivemode());

        PaymentIntent got = stripe.v1().paymentIntents().retrieve(pi.getId());
        assertEquals(pi.getId(), got.getId());
        assertEquals(pi.getCreated(), got.getCreated());

        PaymentIntent updated = stripe.v1()
                .paymentIntents()
                .update(
                        pi.getId(),
                        PaymentIntentUpdateParams.builder()
                                .putMetadata("extra", "1")
                                .setDescription("listing fee")
                                .build());
        assertEquals("1", updated.getMetadata().get("extra"));
        assertEquals("o-1099", updated.getMetadata().get("order"));
        assertEquals("listing fee", updated.getDescription());

        InvalidRequestException missing = assertThrows(
                InvalidRequestException.class,
                () -> stripe.v1().paymentIntents().retrieve("pi_doesnotexist"));
        assertEquals(404, missing.getStatusCode());
        assertEquals("resource_missing", missing.getCode());
    }

    @Test
    void missingAmountIsInvalidRequest() {
        InvalidRequestException e = assertThrows(
                InvalidRequestException.class,
                () -> stripe.v1()
                        .paymentIntents()
                        .create(PaymentIntentCreateParams.builder()
                                .setCurrency("usd")
                                .build()));
        assertEquals(400, e.getStatusCode());
        assertEquals("parameter_missing", e.getCode());
        assertEquals("amount", e.getStripeError().getParam());
    }

    @Test
    void confirmSucceedsWithChargeCarryingMetadata() throws Exception {
        PaymentIntent pi = create(2500);
        PaymentIntent confirmed = stripe.v1()
                .paymentIntents()
                .confirm(
                        pi.getId(),
                        PaymentIntentConfirmParams.builder()
                                .setPaymentMethod("pm_card_visa")
                                .build());
        assertEquals("succeeded", confirmed.getStatus());
        assertEquals(2500L, confirmed.getAmountReceived());
        assertTrue(confirmed.getLatestCharge().startsWith("ch_"));
        assertEquals("pm_card_visa", confirmed.getPaymentMethod());

        PaymentIntent expanded = stripe.v1()
                .paymentIntents()
                .retrieve(
                        pi.getId(),
                        PaymentIntentRetrieveParams.builder()
                                .addExpand("latest_charge")
                                .build());
        Charge embedded = expanded.getLatestChargeObject();
        assertNotNull(embedded);
        assertEquals(confirmed.getLatestCharge(), embedded.getId());

        Charge charge = stripe.v1().charges().retrieve(confirmed.getLatestCharge());
        assertEquals(2500L, charge.getAmount());
        assertEquals(2500L, charge.getAmountCaptured());
        assertEquals(0L, charge.getAmountRefunded());
        assertFalse(charge.getRefunded());
        assertFalse(charge.getDisputed());
        assertTrue(charge.getPaid());
        assertEquals("succeeded", charge.getStatus());
        assertEquals(pi.getId(), charge.getPaymentIntent());
        assertEquals("usd", charge.getCurrency());
        assertEquals(Map.of("order", "o-2500"), charge.getMetadata());
        assertEquals("4242", charge.getPaymentMethodDetails().getCard().getLast4());

        InvalidRequestException again = assertThrows(
                InvalidRequestException.class,
                () -> stripe.v1()
                        .paymentIntents()
                        .confirm(
                                pi.getId(),
                                PaymentIntentConfirmParams.builder()
                                        .setPaymentMethod("pm_card_visa")
                                        .build()));
        assertEquals("payment_intent_unexpected_state", again.getCode());
    }

    @Test
    void createWithConfirmTrue() throws Exception {
        PaymentIntent pi = stripe.v1()
                .paymentIntents()
                .create(PaymentIntentCreateParams.builder()
                        .setAmount(100L)
                        .setCurrency("usd")
                        .addPaymentMethodType("card")
                        .setPaymentMethod("pm_card_visa")
                        .setConfirm(true)
                        .build());
        assertEquals("succeeded", pi.getStatus());
        assertEquals(List.of("card"), pi.getPaymentMethodTypes());
    }

    @Test
    void declinesAnswer402AndAreRecordedOnTheIntent() throws Exception {
        PaymentIntent pi = create(3000);
        CardException e = assertThrows(
                CardException.class,
                () -> stripe.v1()
                        .paymentIntents()
                        .confirm(
                                pi.getId(),
                                PaymentIntentConfirmParams.builder()
                                        .setPaymentMethod("pm_card_chargeDeclined")
                                        .build()));
        assertEquals(402, e.getStatusCode());
        assertEquals("card_declined", e.getCode());
        assertEquals("generic_decline", e.getDeclineCode());
        assertNotNull(e.getStripeError().getPaymentIntent());
        assertEquals(pi.getId(), e.getStripeError().getPaymentIntent().getId());

        PaymentIntent after = stripe.v1().paymentIntents().retrieve(pi.getId());
        assertEquals("requires_payment_method", after.getStatus());
        assertEquals("card_declined", after.getLastPaymentError().getCode());
        assertEquals("generic_decline", after.getLastPaymentError().getDeclineCode());
        Charge failed = stripe.v1().charges().retrieve(after.getLatestCharge());
        assertEquals("failed", failed.getStatus());
        assertFalse(failed.getPaid());

        CardException funds = assertThrows(
                CardException.class,
                () -> stripe.v1()
                        .paymentIntents()
                        .confirm(
                                pi.getId(),
                                PaymentIntentConfirmParams.builder()
                                        .setPaymentMethod("pm_card_chargeDeclinedInsufficientFunds")
                                        .build()));
        assertEquals("insufficient_funds", funds.getDeclineCode());

        // a decline leaves the intent payable
        PaymentIntent ok = stripe.v1()
                .paymentIntents()
                .confirm(
                        pi.getId(),
                        PaymentIntentConfirmParams.builder()
                                .setPaymentMethod("pm_card_visa")
                                .build());
        assertEquals("succeeded", ok.getStatus());
        assertNull(ok.getLastPaymentError());
    }

    @Test
    void manualCaptureAuthorisesThenCaptures() throws Exception {
        PaymentIntent pi = stripe.v1()
                .paymentIntents()
                .create(PaymentIntentCreateParams.builder()
                        .setAmount(5000L)
                        .setCurrency("usd")
                        .addPaymentMethodType("card")
                        .setPaymentMethod("pm_card_visa")
                        .setCaptureMethod(PaymentIntentCreateParams.CaptureMethod.MANUAL)
                        .setConfirm(true)
                        .build());
        assertEquals("requires_capture", pi.getStatus());
        assertEquals(5000L, pi.getAmountCapturable());
        Charge authorised = stripe.v1().charges().retrieve(pi.getLatestCharge());
        assertFalse(authorised.getCaptured());
        assertEquals(0L, authorised.getAmountCaptured());
        assertThrows(
                InvalidRequestException.class,
                () -> stripe.v1()
                        .refunds()
                        .create(com.stripe.param.RefundCreateParams.builder()
                                .setPaymentIntent(pi.getId())
                                .build()));

        PaymentIntent captured = stripe.v1()
                .paymentIntents()
                .capture(
                        pi.getId(),
                        com.stripe.param.PaymentIntentCaptureParams.builder()
                                .setAmountToCapture(4000L)
                                .build());
        assertEquals("succeeded", captured.getStatus());
        assertEquals(4000L, captured.getAmountReceived());
        assertEquals(0L, captured.getAmountCapturable());
        Charge charge = stripe.v1().charges().retrieve(pi.getLatestCharge());
        assertTrue(charge.getCaptured());
        assertEquals(4000L, charge.getAmountCaptured());
        List<String> types = new ArrayList<>();
        stripe.v1().events().list().getData().forEach(e -> types.add(e.getType()));
        assertEquals(
                List.of(
                        "payment_intent.succeeded",
                        "charge.captured",
                        "payment_intent.amount_capturable_updated",
                        "charge.succeeded",
                        "payment_intent.created"),
                types);
    }

    @Test
    void cancel() throws Exception {
        PaymentIntent pi = create(700);
        PaymentIntent canceled = stripe.v1()
                .paymentIntents()
                .cancel(
                        pi.getId(),
                        PaymentIntentCancelParams.builder()
                                .setCancellationReason(
                                        PaymentIntentCancelParams.CancellationReason.REQUESTED_BY_CUSTOMER)
                                .build());
        assertEquals("canceled", canceled.getStatus());
        assertEquals("requested_by_customer", canceled.getCancellationReason());
        assertNotNull(canceled.getCanceledAt());
        InvalidRequestException e = assertThrows(
                InvalidRequestException.class,
                () -> stripe.v1().paymentIntents().cancel(pi.getId()));
        assertEquals("payment_intent_unexpected_state", e.getCode());
    }

    @Test
    void listPaginatesNewestFirst() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(create(100 + i).getId());
        }
        StripeCollection<PaymentIntent> first = stripe.v1()
                .paymentIntents()
                .list(PaymentIntentListParams.builder().setLimit(3L).build());
        assertEquals(List.of(ids.get(6), ids.get(5), ids.get(4)), idsOf(first));
        assertTrue(first.getHasMore());
        assertEquals("/v1/payment_intents", first.getUrl());

        StripeCollection<PaymentIntent> second = stripe.v1()
                .paymentIntents()
                .list(PaymentIntentListParams.builder()
                        .setLimit(3L)
                        .setStartingAfter(ids.get(4))
                        .build());
        assertEquals(List.of(ids.get(3), ids.get(2), ids.get(1)), idsOf(second));
        assertTrue(second.getHasMore());

        StripeCollection<PaymentIntent> last = stripe.v1()
                .paymentIntents()
                .list(PaymentIntentListParams.builder()
                        .setLimit(3L)
                        .setStartingAfter(ids.get(1))
                        .build());
        assertEquals(List.of(ids.get(0)), idsOf(last));
        assertFalse(last.getHasMore());

        StripeCollection<PaymentIntent> before = stripe.v1()
                .paymentIntents()
                .list(PaymentIntentListParams.builder()
                        .setLimit(2L)
                        .setEndingBefore(ids.get(2))
                        .build());
        assertEquals(List.of(ids.get(4), ids.get(3)), idsOf(before));
        assertTrue(before.getHasMore());

        List<String> all = new ArrayList<>();
        stripe.v1()
                .paymentIntents()
                .list(PaymentIntentListParams.builder().setLimit(2L).build())
                .autoPagingIterable()
                .forEach(p -> all.add(p.getId()));
        assertEquals(7, all.size());
        assertEquals(ids.get(6), all.get(0));

        InvalidRequestException badLimit = assertThrows(
                InvalidRequestException.class,
                () -> stripe.v1()
                        .paymentIntents()
                        .list(PaymentIntentListParams.builder().setLimit(101L).build()));
        assertEquals("limit", badLimit.getStripeError().getParam());
    }

    @Test
    void listFiltersByCreated() throws Exception {
        PaymentIntent old = create(100);
        emulator.advanceClock(Duration.ofSeconds(100));
        PaymentIntent mid = create(200);
        emulator.advanceClock(Duration.ofSeconds(100));
        PaymentIntent recent = create(300);

        assertEquals(
                List.of(recent.getId(), mid.getId()),
                idsOf(stripe.v1()
                        .paymentIntents()
                        .list(PaymentIntentListParams.builder()
                                .setCreated(PaymentIntentListParams.Created.builder()
                                        .setGt(old.getCreated())
                                        .build())
                                .build())));
        assertEquals(
                List.of(mid.getId(), old.getId()),
                idsOf(stripe.v1()
                        .paymentIntents()
                        .list(PaymentIntentListParams.builder()
                                .setCreated(PaymentIntentListParams.Created.builder()
                                        .setLte(mid.getCreated())
                                        .build())
                                .build())));
        assertEquals(
                List.of(mid.getId()),
                idsOf(stripe.v1()
                        .paymentIntents()
                        .list(PaymentIntentListParams.builder()
                                .setCreated(PaymentIntentListParams.Created.builder()
                                        .setGte(mid.getCreated())
                                        .setLt(recent.getCreated())
                                        .build())
                                .build())));
        assertEquals(200, recent.getCreated() - old.getCreated(), 1);
    }

    @Test
    void payHelperActsLikeTheBrowser() throws Exception {
        PaymentIntent pi = create(4200);
        HttpResponse<String> declined = EmulatorTestSupport.helper(
                emulator,
                "POST",
                "/_emulator/payment_intents/" + pi.getId() + "/pay",
                "{\"card\":\"insufficient_funds\"}");
        assertEquals(200, declined.statusCode());
        assertTrue(declined.body().contains("\"insufficient_funds\""));
        assertEquals(
                "requires_payment_method",
                stripe.v1().paymentIntents().retrieve(pi.getId()).getStatus());

        HttpResponse<String> paid = EmulatorTestSupport.helper(
                emulator, "POST", "/_emulator/payment_intents/" + pi.getId() + "/pay", "{\"card\":\"success\"}");
        assertEquals(200, paid.statusCode());
        assertEquals(
                "succeeded", stripe.v1().paymentIntents().retrieve(pi.getId()).getStatus());

        HttpResponse<String> health = EmulatorTestSupport.helper(emulator, "GET", "/_emulator/health", null);
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"UP\""));
    }

    @Test
    void rejectsMissingOrLiveKeys() throws Exception {
        StripeClient live = StripeClient.builder()
                .setApiKey("sk_live_nope")
                .setApiBase(emulator.apiBase())
                .build();
        AuthenticationException e = assertThrows(
                AuthenticationException.class, () -> live.v1().paymentIntents().list());
        assertEquals(401, e.getStatusCode());

        HttpResponse<String> noKey = EmulatorTestSupport.HTTP.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(emulator.apiBase() + "/v1/payment_intents"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, noKey.statusCode());
        assertTrue(noKey.body().contains("\"invalid_request_error\""));

        String basic = java.util.Base64.getEncoder().encodeToString("rk_test_restricted:".getBytes());
        HttpResponse<String> withBasic = EmulatorTestSupport.HTTP.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(emulator.apiBase() + "/v1/payment_intents"))
                        .header("Authorization", "Basic " + basic)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, withBasic.statusCode());
    }

    private static List<String> idsOf(StripeCollection<PaymentIntent> list) {
        List<String> out = new ArrayList<>();
        list.getData().forEach(p -> out.add(p.getId()));
        return out;
    }
}
