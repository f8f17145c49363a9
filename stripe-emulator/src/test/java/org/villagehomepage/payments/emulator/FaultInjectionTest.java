package org.villagehomepage.payments.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.StripeClient;
import com.stripe.exception.ApiException;
import com.stripe.exception.RateLimitException;
import com.stripe.param.PaymentIntentCreateParams;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

    /** Status counts of {@code n} sequential requests; -1 counts requests that got no answer. */
    private static Map<Integer, Integer> fire(StripeEmulator emulator, String method, String path, int n)
            throws InterruptedException {
        // a fresh client per run: no pooled connection left half-closed by an earlier fault
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<Integer, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emulator.apiBase() + path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer sk_test_faults");
            if (method.equals("POST")) {
                b.header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("amount=" + (100 + i) + "&currency=usd"));
            } else {
                b.GET();
            }
            try {
                counts.merge(
                        http.send(b.build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode(),
                        1,
                        Integer::sum);
            } catch (IOException e) {
                counts.merge(-1, 1, Integer::sum);
            }
        }
        return counts;
    }

    private static Map<Integer, Integer> errorRun(long seed) throws Exception {
        try (StripeEmulator emulator = StripeEmulator.start(EmulatorConfig.builder()
                .faultsJson("{\"seed\":" + seed + ",\"endpoints\":{\"GET /v1/payment_intents\":{\"errorRate\":0.2}}}")
                .build())) {
            return fire(emulator, "GET", "/v1/payment_intents", 1000);
        }
    }

    @Test
    void errorRateIsMetAndReproducibleUnderTheSeed() throws Exception {
        Map<Integer, Integer> first = errorRun(7);
        int errors = first.getOrDefault(500, 0);
        assertTrue(errors >= 160 && errors <= 240, "500s: " + errors);
        assertEquals(1000 - errors, first.get(200));
        assertEquals(first, errorRun(7));
    }

    @Test
    void reseedingAtRunTimeRepeatsTheSequence() throws Exception {
        try (StripeEmulator emulator = StripeEmulator.start(EmulatorConfig.defaults())) {
            emulator.faults()
                    .endpoint(
                            "GET /v1/payment_intents",
                            FaultSettings.EndpointFault.none().withErrorRate(0.3));
            emulator.faults().seed(99);
            Map<Integer, Integer> a = fire(emulator, "GET", "/v1/payment_intents", 200);
            emulator.faults().seed(99);
            Map<Integer, Integer> b = fire(emulator, "GET", "/v1/payment_intents", 200);
            assertEquals(a, b);
        }
    }

    @Test
    void injectedErrorsAndRateLimitsHaveNoEffect() throws Exception {
        try (StripeEmulator emulator =
                StripeEmulator.start(EmulatorConfig.builder().seed(3).build())) {
            emulator.faults()
                    .endpoint(
                            "POST /v1/payment_intents",
                            FaultSettings.EndpointFault.none()
                                    .withErrorRate(0.15)
                                    .withRateLimitRate(0.1));
            Map<Integer, Integer> counts = fire(emulator, "POST", "/v1/payment_intents", 600);
            int errors = counts.getOrDefault(500, 0);
            int limited = counts.getOrDefault(429, 0);
            assertTrue(errors >= 60 && errors <= 120, "500s: " + errors);
            assertTrue(limited >= 35 && limited <= 85, "429s: " + limited);
            emulator.faults().clear();
            StripeClient stripe = EmulatorTestSupport.client(emulator);
            long created = 0;
            for (var ignored : stripe.v1().paymentIntents().list().autoPagingIterable()) {
                created++;
            }
            assertEquals(counts.get(200).longValue(), created);

            emulator.faults().endpoint("*", FaultSettings.EndpointFault.none().withRateLimitRate(1.0));
            RateLimitException rl = assertThrows(
                    RateLimitException.class, () -> stripe.v1().paymentIntents().list());
            assertEquals(429, rl.getStatusCode());
            emulator.faults().endpoint("*", FaultSettings.EndpointFault.none().withErrorRate(1.0));
            ApiException api = assertThrows(
                    ApiException.class,
                    () -> stripe.v1()
                            .paymentIntents()
                            .create(PaymentIntentCreateParams.builder()
                                    .setAmount(100L)
                                    .setCurrency("usd")
                                    .build()));
            assertEquals(500, api.getStatusCode());
            assertEquals("api_error", api.getStripeError().getType());
            // helpers are never faulted
            assertEquals(
                    200,
                    EmulatorTestSupport.helper(emulator, "GET", "/_emulator/health", null)
                            .statusCode());
        }
    }

    @Test
    void timeoutsHoldThenCloseWithoutEffect() throws Exception {
        try (StripeEmulator emulator =
                StripeEmulator.start(EmulatorConfig.builder().seed(11).build())) {
            emulator.faults()
                    .endpoint(
                            "POST /v1/payment_intents",
                            FaultSettings.EndpointFault.none()
                                    .withTimeoutRate(0.1)
                                    .withTimeoutMs(50));
            long start = System.nanoTime();
            Map<Integer, Integer> counts = fire(emulator, "POST", "/v1/payment_intents", 300);
            int timedOut = counts.getOrDefault(-1, 0);
            assertTrue(timedOut >= 15 && timedOut <= 45, "timeouts: " + timedOut);
            assertTrue(System.nanoTime() - start >= timedOut * 50_000_000L);
            emulator.faults().clear();
            HttpResponse<String> list = EmulatorTestSupport.get(emulator, "/v1/payment_intents?limit=100");
            assertEquals(200, list.statusCode());
            // nothing created for the timed-out requests
            int created = 0;
            String after = null;
            while (true) {
                var page = Json.read(EmulatorTestSupport.get(
                                emulator,
                                "/v1/payment_intents?limit=100" + (after == null ? "" : "&starting_after=" + after))
                        .body());
                created += page.get("data").size();
                if (!page.get("has_more").asBoolean()) {
                    break;
                }
                after = page.get("data")
                        .get(page.get("data").size() - 1)
                        .get("id")
                        .asText();
            }
            assertEquals(300 - timedOut, created);
        }
    }

    @Test
    void lostResponsesTakeEffect() throws Exception {
        try (StripeEmulator emulator =
                StripeEmulator.start(EmulatorConfig.builder().seed(5).build())) {
            emulator.faults()
                    .endpoint(
                            "POST /v1/payment_intents",
                            FaultSettings.EndpointFault.none().withLostResponseRate(0.2));
            Map<Integer, Integer> counts = fire(emulator, "POST", "/v1/payment_intents", 200);
            int lost = counts.getOrDefault(-1, 0);
            assertTrue(lost >= 25 && lost <= 55, "lost: " + lost);
            emulator.faults().clear();
            int created = 0;
            for (var ignored : EmulatorTestSupport.client(emulator)
                    .v1()
                    .paymentIntents()
                    .list()
                    .autoPagingIterable()) {
                created++;
            }
            assertEquals(200, created);
        }
    }

    @Test
    void latencyDelaysTheAnswer() throws Exception {
        try (StripeEmulator emulator = StripeEmulator.start(EmulatorConfig.defaults())) {
            emulator.faults()
                    .endpoint(
                            "GET /v1/payment_intents/{id}",
                            FaultSettings.EndpointFault.none().withLatencyMs(300));
            long start = System.nanoTime();
            HttpResponse<String> fast = EmulatorTestSupport.get(emulator, "/v1/payment_intents");
            long fastMs = (System.nanoTime() - start) / 1_000_000;
            start = System.nanoTime();
            HttpResponse<String> slow = EmulatorTestSupport.get(emulator, "/v1/payment_intents/pi_missing");
            long slowMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, fast.statusCode());
            assertEquals(404, slow.statusCode());
            assertTrue(slowMs >= 300, "slow " + slowMs);
            assertTrue(fastMs < 300, "fast " + fastMs);
        }
    }

    @Test
    void faultsEndpointRoundTripsJson() throws Exception {
        try (StripeEmulator emulator = StripeEmulator.start(EmulatorConfig.defaults())) {
            String json = "{\"seed\":7,\"endpoints\":{\"POST /v1/payment_intents\":{\"errorRate\":0.2,"
                    + "\"lostResponseRate\":0.05,\"latencyMs\":0}},\"deliveries\":{\"duplicateRate\":0.5,"
                    + "\"duplicateCopies\":3,\"shuffle\":true,\"dropRate\":0.1}}";
            HttpResponse<String> put = EmulatorTestSupport.helper(emulator, "PUT", "/_emulator/faults", json);
            assertEquals(200, put.statusCode(), put.body());
            assertEquals(7, emulator.faults().seed());
            assertEquals(
                    0.2,
                    emulator.faults()
                            .endpoints()
                            .get("POST /v1/payment_intents")
                            .errorRate());
            assertEquals(3, emulator.faults().deliveries().duplicateCopies());
            assertTrue(emulator.faults().deliveries().shuffle());
            var got = Json.read(EmulatorTestSupport.helper(emulator, "GET", "/_emulator/faults", null)
                    .body());
            assertEquals(
                    0.05,
                    got.get("endpoints")
                            .get("POST /v1/payment_intents")
                            .get("lostResponseRate")
                            .asDouble());
            assertEquals(
                    400,
                    EmulatorTestSupport.helper(
                                    emulator, "PUT", "/_emulator/faults", "{\"endpoints\":{\"*\":{\"errorRate\":2}}}")
                            .statusCode());
            emulator.reset();
            assertTrue(emulator.faults().endpoints().isEmpty());
        }
    }
}
