package org.villagehomepage.payments.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.IdempotencyException;
import com.stripe.model.PaymentIntent;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class IdempotencyTest extends EmulatorApiTest {
    private static int intentCount() throws Exception {
        return stripe.v1().paymentIntents().list().getData().size();
    }

    @Test
    void sameKeySameParamsReplaysTheStoredResponse() throws Exception {
        Map<String, String> key = Map.of("Idempotency-Key", "order-1");
        HttpResponse<String> first = EmulatorTestSupport.post(
                emulator, "/v1/payment_intents", "amount=1000&currency=usd&metadata[order]=1", key);
        // same parameters in another order and bracket style are the same request
        HttpResponse<String> second = EmulatorTestSupport.post(
                emulator, "/v1/payment_intents", "metadata%5Border%5D=1&currency=usd&amount=1000", key);
        assertEquals(200, first.statusCode());
        assertEquals(200, second.statusCode());
        assertEquals(first.body(), second.body());
        assertFalse(first.headers().firstValue("Idempotent-Replayed").isPresent());
        assertEquals("true", second.headers().firstValue("Idempotent-Replayed").orElseThrow());
        assertEquals(1, intentCount());
    }

    @Test
    void errorsAreReplayedToo() throws Exception {
        String id = Json.read(
                        EmulatorTestSupport.post(emulator, "/v1/payment_intents", "amount=500&currency=usd", Map.of())
                                .body())
                .get("id")
                .asText();
        Map<String, String> key = Map.of("Idempotency-Key", "confirm-decline");
        HttpResponse<String> declined = EmulatorTestSupport.post(
                emulator, "/v1/payment_intents/" + id + "/confirm", "payment_method=pm_card_chargeDeclined", key);
        HttpResponse<String> replay = EmulatorTestSupport.post(
                emulator, "/v1/payment_intents/" + id + "/confirm", "payment_method=pm_card_chargeDeclined", key);
        assertEquals(402, declined.statusCode());
        assertEquals(402, replay.statusCode());
        assertEquals(declined.body(), replay.body());
        assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElseThrow());
        JsonNode error = Json.read(replay.body()).get("error");
        assertEquals("card_error", error.get("type").asText());
        assertEquals("card_declined", error.get("code").asText());
        // only one charge was attempted
        assertEquals(
                1,
                Json.read(EmulatorTestSupport.get(emulator, "/v1/charges").body())
                        .get("data")
                        .size());
    }

    @Test
    void sameKeyDifferentParamsIsAnIdempotencyError() throws Exception {
        RequestOptions key =
                RequestOptions.builder().setIdempotencyKey("k-mismatch").build();
        stripe.v1()
                .paymentIntents()
                .create(
                        PaymentIntentCreateParams.builder()
                                .setAmount(100L)
                                .setCurrency("usd")
                                .build(),
                        key);
        IdempotencyException e = assertThrows(
                IdempotencyException.class,
                () -> stripe.v1()
                        .paymentIntents()
                        .create(
                                PaymentIntentCreateParams.builder()
                                        .setAmount(200L)
                                        .setCurrency("usd")
                                        .build(),
                                key));
        assertEquals(400, e.getStatusCode());
        assertEquals("idempotency_error", e.getStripeError().getType());
        assertEquals(1, intentCount());
    }

    @Test
    void keysAreScopedPerApiKeyAndExpireAfter24Hours() throws Exception {
        HttpResponse<String> a = EmulatorTestSupport.post(
                emulator, "/v1/payment_intents", "amount=100&currency=usd", Map.of("Idempotency-Key", "shared"));
        HttpResponse<String> b = EmulatorTestSupport.HTTP.send(
                HttpRequest.newBuilder(URI.create(emulator.apiBase() + "/v1/payment_intents"))
                        .header("Authorization", "Bearer sk_test_other_account")
                        .header("Idempotency-Key", "shared")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("amount=100&currency=usd"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, b.statusCode());
        assertNotEquals(Json.read(a.body()).get("id"), Json.read(b.body()).get("id"));

        emulator.advanceClock(Duration.ofHours(25));
        HttpResponse<String> reused = EmulatorTestSupport.post(
                emulator, "/v1/payment_intents", "amount=999&currency=usd", Map.of("Idempotency-Key", "shared"));
        assertEquals(200, reused.statusCode());
        assertEquals(999, Json.read(reused.body()).get("amount").asInt());
    }

    @Test
    void aKeyStillInFlightGets409() throws Exception {
        emulator.faults()
                .endpoint(
                        "POST /v1/payment_intents",
                        FaultSettings.EndpointFault.none().withLatencyMs(800));
        HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.apiBase() + "/v1/payment_intents"))
                .header("Authorization", "Bearer " + EmulatorTestSupport.API_KEY)
                .header("Idempotency-Key", "slow")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("amount=100&currency=usd"))
                .build();
        CompletableFuture<HttpResponse<String>> first =
                EmulatorTestSupport.HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        Thread.sleep(200);
        HttpResponse<String> second = EmulatorTestSupport.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(409, second.statusCode());
        assertEquals(
                "idempotency_error",
                Json.read(second.body()).get("error").get("type").asText());
        assertEquals(200, first.get().statusCode());
        emulator.faults().clear();
        HttpResponse<String> third = EmulatorTestSupport.HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(first.get().body(), third.body());
        assertEquals(1, intentCount());
    }

    @Test
    void lostResponseTakesEffectAndARetryWithTheSameKeyReturnsIt() throws Exception {
        emulator.faults()
                .endpoint(
                        "POST /v1/payment_intents",
                        FaultSettings.EndpointFault.none().withLostResponseRate(1.0));
        RequestOptions key =
                RequestOptions.builder().setIdempotencyKey("lost-1").build();
        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(4100L)
                .setCurrency("usd")
                .putMetadata("order", "lost")
                .build();
        ApiConnectionException lost = assertThrows(
                ApiConnectionException.class, () -> stripe.v1().paymentIntents().create(params, key));
        assertTrue(lost.getCause() instanceof java.io.IOException, String.valueOf(lost.getCause()));

        emulator.faults().clear();
        PaymentIntent retried = stripe.v1().paymentIntents().create(params, key);
        assertEquals(1, intentCount());
        assertEquals(
                retried.getId(),
                stripe.v1().paymentIntents().list().getData().get(0).getId());
        assertEquals(
                "true",
                retried.getLastResponse()
                        .headers()
                        .firstValue("Idempotent-Replayed")
                        .orElseThrow());
    }
}
