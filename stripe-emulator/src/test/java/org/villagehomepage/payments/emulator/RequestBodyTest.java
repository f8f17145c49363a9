package org.villagehomepage.payments.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The raw body collector (RawBody): UTF-8 forms and JSON arrive whole, 100-continue is answered; over 1 MiB is refused and changes nothing. */
class RequestBodyTest extends EmulatorApiTest {

    @Test
    void aFormBodyArrivesWholeWithUtf8() throws Exception {
        HttpResponse<String> r = EmulatorTestSupport.post(
                emulator,
                "/v1/payment_intents",
                "amount=1500&currency=eur&description=caf%C3%A9+%E2%9C%93&metadata[listing_id]=lst_1",
                Map.of());
        assertEquals(200, r.statusCode(), r.body());
        var pi = Json.read(r.body());
        assertEquals(1500, pi.get("amount").asLong());
        assertEquals("café ✓", pi.get("description").asText());
        assertEquals("lst_1", pi.get("metadata").get("listing_id").asText());
    }

    @Test
    void rawUtf8SplitAcrossOneByteChunksArrivesWhole() throws Exception {
        byte[] form = "amount=900&currency=eur&description=café ✓ 😀".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = EmulatorTestSupport.HTTP.send(
                HttpRequest.newBuilder(URI.create(emulator.apiBase() + "/v1/payment_intents"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + EmulatorTestSupport.API_KEY)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(form) {
                            @Override
                            public synchronized int read(byte[] b, int off, int len) {
                                return super.read(b, off, Math.min(len, 1)); // one byte per chunk
                            }
                        }))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("café ✓ 😀", Json.read(r.body()).get("description").asText());
    }

    @Test
    void aClientThatExpectsContinueGetsItAndSendsItsBody() throws Exception {
        // Java's client waits for 100 Continue before the body; unanswered, this request times out
        HttpResponse<String> r = EmulatorTestSupport.HTTP.send(
                HttpRequest.newBuilder(URI.create(emulator.apiBase() + "/v1/payment_intents"))
                        .timeout(Duration.ofSeconds(5))
                        .expectContinue(true)
                        .header("Authorization", "Bearer " + EmulatorTestSupport.API_KEY)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("amount=1100&currency=usd"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(1100, Json.read(r.body()).get("amount").asLong());
    }

    @Test
    void aBodyOverOneMebibyteIsRefusedAndCreatesNothing() throws Exception {
        String big = "amount=1500&currency=eur&description=" + "x".repeat(1024 * 1024);
        HttpResponse<String> declared = EmulatorTestSupport.post(emulator, "/v1/payment_intents", big, Map.of());
        assertEquals(413, declared.statusCode());
        assertEquals(
                "invalid_request_error",
                Json.read(declared.body()).get("error").get("type").asText());

        // chunked: no Content-Length, so the limit applies while the body streams in
        HttpResponse<String> chunked = EmulatorTestSupport.HTTP.send(
                HttpRequest.newBuilder(URI.create(emulator.apiBase() + "/v1/payment_intents"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + EmulatorTestSupport.API_KEY)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofInputStream(
                                () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode());

        HttpResponse<String> list = EmulatorTestSupport.get(emulator, "/v1/payment_intents?limit=100");
        assertEquals(200, list.statusCode());
        assertEquals(0, Json.read(list.body()).get("data").size());
    }

    @Test
    void aHelperTakesAJsonBody() throws Exception {
        HttpResponse<String> created =
                EmulatorTestSupport.post(emulator, "/v1/payment_intents", "amount=700&currency=usd", Map.of());
        String id = Json.read(created.body()).get("id").asText();
        HttpResponse<String> paid = EmulatorTestSupport.helper(
                emulator, "POST", "/_emulator/payment_intents/" + id + "/pay", "{\"payment_method\":\"pm_card_visa\"}");
        assertEquals(200, paid.statusCode(), paid.body());
        HttpResponse<String> after = EmulatorTestSupport.get(emulator, "/v1/payment_intents/" + id);
        assertEquals("succeeded", Json.read(after.body()).get("status").asText());
    }
}
