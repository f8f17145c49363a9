package org.villagehomepage.payments.common.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.StripeException;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeCollection;
import com.stripe.net.HttpClient;
import com.stripe.net.HttpURLConnectionClient;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentListParams;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StripeHttpClient} against stripe-java's stock {@link HttpURLConnectionClient}: the same
 * stripe-java calls through each must reach a local server as the same request and come back as
 * the same result or exception.
 */
class StripeHttpClientTest {

    static {
        // As in a service, where the StripeClient (and so this class) exists before its first call:
        // loaded before the stock client's calls below keep a connection alive, since the JDK reads
        // http.maxConnections once per process.
        new StripeHttpClient();
    }

    private static final String INTENT = """
            {"id": "pi_123", "object": "payment_intent", "amount": 500, "currency": "usd",
             "status": "requires_payment_method", "metadata": {"order": "o-1"}}""";
    private static final String INTENTS = """
            {"object": "list", "url": "/v1/payment_intents", "has_more": false, "data": [%s]}""".formatted(INTENT);

    record Seen(String method, String path, String query, String body, Map<String, List<String>> headers) {}

    record Answer(int status, String body, long delayMillis) {}

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** The client port of every request: one per TCP connection the clients opened. */
    private final Set<Integer> connections = ConcurrentHashMap.newKeySet();

    private final ExecutorService serverThreads = Executors.newVirtualThreadPerTaskExecutor();
    private volatile Answer answer = new Answer(200, INTENT, 0);
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private void answer(HttpExchange exchange) throws IOException {
        Answer now = answer;
        connections.add(exchange.getRemoteAddress().getPort());
        seen.add(new Seen(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                new TreeMap<>(exchange.getRequestHeaders())));
        if (now.delayMillis() > 0) {
            try {
                Thread.sleep(now.delayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = now.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        // A request id lets stripe-java report the call's telemetry with the next request; a fixed
        // one keeps the exceptions' messages comparable.
        exchange.getResponseHeaders().add("Request-Id", "req_test");
        exchange.sendResponseHeaders(now.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private StripeClient client(HttpClient http, int port, int readTimeoutMillis) {
        String base = "http://127.0.0.1:" + port;
        return StripeClient.builder()
                .setApiKey("sk_test_httpclienttest")
                .setConnectTimeout(2_000)
                .setReadTimeout(readTimeoutMillis)
                .setMaxNetworkRetries(0)
                .setApiBase(base)
                .setConnectBase(base)
                .setFilesBase(base)
                .setMeterEventsBase(base)
                .setHttpClient(http)
                .build();
    }

    private StripeClient stock() {
        return client(new HttpURLConnectionClient(), server.getAddress().getPort(), 5_000);
    }

    private StripeClient ours() {
        return client(new StripeHttpClient(), server.getAddress().getPort(), 5_000);
    }

    /** The same three calls (a POST with a body, a GET with a query, a POST again) through one client. */
    private List<Seen> calls(StripeClient client) throws StripeException {
        seen.clear();
        RequestOptions options = RequestOptions.builder()
                .setIdempotencyKey("idem-fixed-1")
                .setStripeAccount("acct_123")
                .build();
        PaymentIntent created = client.paymentIntents()
                .create(
                        PaymentIntentCreateParams.builder()
                                .setAmount(500L)
                                .setCurrency("usd")
                                .putMetadata("order", "o-1")
                                .addPaymentMethodType("card")
                                .build(),
                        options);
        assertThat(created.getId()).isEqualTo("pi_123");
        assertThat(created.getMetadata()).containsEntry("order", "o-1");
        answer = new Answer(200, INTENTS, 0);
        StripeCollection<PaymentIntent> listed = client.paymentIntents()
                .list(PaymentIntentListParams.builder().setLimit(3L).build());
        assertThat(listed.getData()).extracting(PaymentIntent::getId).containsExactly("pi_123");
        answer = new Answer(200, INTENT, 0);
        client.paymentIntents()
                .create(
                        PaymentIntentCreateParams.builder()
                                .setAmount(700L)
                                .setCurrency("eur")
                                .build(),
                        RequestOptions.builder()
                                .setIdempotencyKey("idem-fixed-2")
                                .build());
        return List.copyOf(seen);
    }

    @Test
    void sendsTheSameRequestsAsTheStockClient() throws Exception {
        List<Seen> stock = calls(stock());
        List<Seen> ours = calls(ours());

        assertThat(ours).hasSize(3).hasSameSizeAs(stock);
        for (int i = 0; i < stock.size(); i++) {
            Seen expected = stock.get(i);
            Seen actual = ours.get(i);
            assertThat(actual.method()).isEqualTo(expected.method());
            assertThat(actual.path()).isEqualTo(expected.path());
            assertThat(actual.query()).isEqualTo(expected.query());
            assertThat(actual.body()).isEqualTo(expected.body());
            // Every header name and value, transport ones (Host, Connection, Content-Length,
            // Accept, Cache-Control, Pragma) included: both clients are HttpURLConnection
            // underneath, so those must match too. The one exception is X-Stripe-Client-Telemetry:
            // stripe-java puts each answered call's request id and duration in one process-wide
            // queue and the next request of any client takes one out, so whether a request carries
            // it depends on what ran before, and a duration varies from run to run.
            assertThat(withoutTelemetry(actual.headers())).isEqualTo(withoutTelemetry(expected.headers()));
        }

        // Guards against both clients losing a header the same way.
        Seen create = ours.getFirst();
        assertThat(create.method()).isEqualTo("POST");
        assertThat(create.path()).isEqualTo("/v1/payment_intents");
        assertThat(create.body()).contains("amount=500").contains("currency=usd");
        assertThat(create.headers())
                .containsKeys("User-agent", "X-stripe-client-user-agent", "Stripe-version", "Content-type")
                .containsEntry("Authorization", List.of("Bearer sk_test_httpclienttest"))
                .containsEntry("Idempotency-key", List.of("idem-fixed-1"))
                .containsEntry("Stripe-account", List.of("acct_123"));
        assertThat(create.headers().get("X-stripe-client-user-agent").getFirst())
                .contains("\"bindings.version\"");
        assertThat(ours.get(1).query()).isEqualTo("limit=3");
        // Our first call's metrics ride on our second request: telemetry still passes through.
        assertThat(ours.get(1).headers()).containsKey("X-stripe-client-telemetry");
    }

    private static Map<String, List<String>> withoutTelemetry(Map<String, List<String>> headers) {
        Map<String, List<String>> copy = new TreeMap<>(headers);
        copy.remove("X-stripe-client-telemetry");
        return copy;
    }

    @Test
    void stripeErrorsMapToTheSameExceptions() {
        List<Answer> answers = List.of(
                new Answer(402, """
                        {"error": {"type": "card_error", "code": "card_declined", "decline_code": "insufficient_funds",
                         "message": "Your card has insufficient funds.", "param": "payment_method"}}""", 0),
                new Answer(400, """
                        {"error": {"type": "invalid_request_error", "code": "parameter_missing",
                         "message": "Missing required param: amount.", "param": "amount"}}""", 0),
                new Answer(
                        401, "{\"error\": {\"type\": \"invalid_request_error\", \"message\": \"Invalid API Key\"}}", 0),
                new Answer(
                        404, "{\"error\": {\"type\": \"invalid_request_error\", \"code\": \"resource_missing\"}}", 0),
                new Answer(
                        409, "{\"error\": {\"type\": \"idempotency_error\", \"message\": \"Keys for in flight\"}}", 0),
                new Answer(429, "{\"error\": {\"type\": \"invalid_request_error\", \"code\": \"rate_limit\"}}", 0),
                new Answer(500, "{\"error\": {\"type\": \"api_error\", \"message\": \"Something went wrong\"}}", 0),
                new Answer(503, "not json at all", 0));
        for (Answer each : answers) {
            answer = each;
            StripeException expected = failure(stock());
            StripeException actual = failure(ours());
            assertThat(actual).as("status %d", each.status()).isExactlyInstanceOf(expected.getClass());
            assertThat(actual.getStatusCode()).isEqualTo(each.status()).isEqualTo(expected.getStatusCode());
            assertThat(actual.getCode()).isEqualTo(expected.getCode());
            assertThat(actual.getRequestId()).isEqualTo("req_test").isEqualTo(expected.getRequestId());
            assertThat(actual.getMessage()).isEqualTo(expected.getMessage());
            if (expected.getStripeError() != null) {
                assertThat(actual.getStripeError().getType())
                        .isEqualTo(expected.getStripeError().getType());
                assertThat(actual.getStripeError().getDeclineCode())
                        .isEqualTo(expected.getStripeError().getDeclineCode());
                assertThat(actual.getStripeError().getParam())
                        .isEqualTo(expected.getStripeError().getParam());
            } else {
                assertThat(actual.getStripeError()).isNull();
            }
        }
    }

    private static StripeException failure(StripeClient client) {
        return catchThrowableOfType(
                StripeException.class,
                () -> client.paymentIntents()
                        .create(
                                PaymentIntentCreateParams.builder()
                                        .setAmount(500L)
                                        .setCurrency("usd")
                                        .build(),
                                RequestOptions.builder()
                                        .setIdempotencyKey("idem-error")
                                        .build()));
    }

    @Test
    void keepsAConnectionAlivePerConcurrentCall() throws Exception {
        answer = new Answer(200, INTENT, 50); // long enough for the 16 calls of a round to overlap
        StripeClient client = ours();
        int concurrent = 16;
        connections.clear();
        seen.clear();
        try (ExecutorService callers = Executors.newFixedThreadPool(concurrent)) {
            for (int round = 0; round < 3; round++) {
                List<Future<PaymentIntent>> calls = new ArrayList<>();
                for (int i = 0; i < concurrent; i++) {
                    calls.add(callers.submit(() -> client.paymentIntents().retrieve("pi_123")));
                }
                for (Future<PaymentIntent> call : calls) {
                    assertThat(call.get().getId()).isEqualTo("pi_123");
                }
            }
        }

        // 48 calls, 16 at a time: the first round's connections carry the next two rounds. With the
        // JDK's default of 5 kept alive, 11 of them were closed after every round and 11 new ones
        // opened in the next (38 connections).
        assertThat(seen).hasSize(3 * concurrent);
        assertThat(connections).hasSizeLessThanOrEqualTo(concurrent);
        assertThat(System.getProperty(StripeHttpClient.KEEP_ALIVE_PROPERTY))
                .isEqualTo(Integer.toString(StripeGuard.MAX_CALLS_IN_FLIGHT));
    }

    @Test
    void refusedConnectionIsAnApiConnectionException() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        StripeException expected = failure(client(new HttpURLConnectionClient(), closedPort, 5_000));
        StripeException actual = failure(client(new StripeHttpClient(), closedPort, 5_000));

        assertThat(expected).isInstanceOf(ApiConnectionException.class);
        assertThat(actual).isExactlyInstanceOf(ApiConnectionException.class);
        assertThat(actual.getMessage()).isEqualTo(expected.getMessage());
        assertThat(actual.getCause()).isExactlyInstanceOf(expected.getCause().getClass());
    }

    @Test
    void answerSlowerThanTheReadTimeoutIsAnApiConnectionException() {
        answer = new Answer(200, INTENT, 3_000);
        int port = server.getAddress().getPort();

        StripeException expected = failure(client(new HttpURLConnectionClient(), port, 300));
        StripeException actual = failure(client(new StripeHttpClient(), port, 300));

        assertThat(expected).isInstanceOf(ApiConnectionException.class);
        assertThat(actual).isExactlyInstanceOf(ApiConnectionException.class);
        assertThat(actual.getCause()).isInstanceOf(SocketTimeoutException.class);
        assertThat(actual.getMessage()).isEqualTo(expected.getMessage());
    }
}
