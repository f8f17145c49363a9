package org.villagehomepage.payments.emulator;

import com.stripe.StripeClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Shared helpers: a stripe-java client and a raw HTTP client aimed at an in-process emulator. */
final class EmulatorTestSupport {
    static final String API_KEY = "sk_test_emulator";
    static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private EmulatorTestSupport() {}

    static StripeClient client(StripeEmulator emulator) {
        return client(emulator, 0);
    }

    static StripeClient client(StripeEmulator emulator, int maxNetworkRetries) {
        return StripeClient.builder()
                .setApiKey(API_KEY)
                .setApiBase(emulator.apiBase())
                .setConnectBase(emulator.apiBase())
                .setFilesBase(emulator.apiBase())
                .setMeterEventsBase(emulator.apiBase())
                .setMaxNetworkRetries(maxNetworkRetries)
                .setReadTimeout(10_000)
                .build();
    }

    static HttpResponse<String> post(StripeEmulator emulator, String path, String form, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emulator.apiBase() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + API_KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(StripeEmulator emulator, String pathAndQuery)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(emulator.apiBase() + pathAndQuery))
                        .timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + API_KEY)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Calls a test helper with a JSON body. */
    static HttpResponse<String> helper(StripeEmulator emulator, String method, String path, String json)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(emulator.apiBase() + path))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                json == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
