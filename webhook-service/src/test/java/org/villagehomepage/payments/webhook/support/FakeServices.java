package org.villagehomepage.payments.webhook.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * checkout-, refund- and audit-service as far as webhook-service sees them: a JDK HTTP server that
 * records what the outbox relay posts ({@code /checkout/...}, {@code /refund/...}, {@code /audit/...})
 * and answers checkout's {@code GET /internal/payments/by-intent/{pi}} from a map the test fills.
 */
public class FakeServices implements QuarkusTestResourceLifecycleManager {

    public record Received(String destination, String path, String messageId, String authorization, String body) {}

    public static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    public static final List<String> LOOKUPS = new CopyOnWriteArrayList<>();
    /** Every read webhook-service made of checkout or refund (lookups, restores, amounts), with its token. */
    public static final List<Received> READS = new CopyOnWriteArrayList<>();
    /** Payment intent id -> checkout's JSON answer; missing ids answer 404. */
    public static final Map<String, String> PAYMENTS = new ConcurrentHashMap<>();
    /** checkout's captured payments (JSON objects of GET /internal/payments/captured), any period. */
    public static final List<String> CAPTURED = new CopyOnWriteArrayList<>();
    /** Listing or user id -> checkout's JSON array of payments (GET /internal/payments/by-subject/{id}). */
    public static final Map<String, String> SUBJECTS = new ConcurrentHashMap<>();
    /** Payment intent id -> the refund ledger's JSON object (POST /internal/ledger/amounts). */
    public static final Map<String, String> LEDGER = new ConcurrentHashMap<>();
    /** Bodies checkout received at POST /internal/payments/restore, in order; each marks its payment succeeded. */
    public static final List<String> RESTORES = new CopyOnWriteArrayList<>();
    /** Payment intents checkout answers 500 to at POST /internal/payments/restore. */
    public static final java.util.Set<String> RESTORE_FAILS = ConcurrentHashMap.newKeySet();
    /** Stripe refund ids refund-service has a record of (GET /internal/refunds/by-stripe-refund/{re}). */
    public static final java.util.Set<String> KNOWN_REFUNDS = ConcurrentHashMap.newKeySet();
    /** Status the stripe-events receivers answer (200 by default). */
    public static final AtomicInteger STRIPE_EVENTS_STATUS = new AtomicInteger(200);

    private HttpServer server;

    public static void reset() {
        RECEIVED.clear();
        LOOKUPS.clear();
        READS.clear();
        PAYMENTS.clear();
        CAPTURED.clear();
        SUBJECTS.clear();
        LEDGER.clear();
        RESTORES.clear();
        KNOWN_REFUNDS.clear();
        RESTORE_FAILS.clear();
        STRIPE_EVENTS_STATUS.set(200);
    }

    public static List<Received> stripeEvents(String messageId) {
        return RECEIVED.stream()
                .filter(r -> r.path().equals("/internal/stripe-events") && messageId.equals(r.messageId()))
                .toList();
    }

    public static List<Received> audits() {
        return RECEIVED.stream().filter(r -> r.destination().equals("audit")).toList();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of(
                "outbox.destinations.checkout", base + "/checkout",
                "outbox.destinations.refund", base + "/refund",
                "outbox.destinations.audit", base + "/audit",
                "outbox.relay.max-attempts", "3",
                "outbox.relay.retry-window", "0s",
                "outbox.relay.base-backoff", "1ms",
                "outbox.relay.max-backoff", "2ms",
                "webhook.reconciliation.enabled", "false",
                // refusal audits are rate-limited per source; tests all come from 127.0.0.1
                "webhook.rejections.per-source-per-minute", "6000");
    }

    private void handle(HttpExchange exchange) throws IOException {
        String full = exchange.getRequestURI().getPath();
        String destination = full.substring(1, full.indexOf('/', 1));
        String path = full.substring(destination.length() + 1);
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            respond(exchange, 401, "");
            return;
        }
        if (!path.equals("/internal/stripe-events") && !destination.equals("audit")) {
            READS.add(new Received(destination, path, null, authorization, body));
        }
        if ("GET".equals(exchange.getRequestMethod()) && path.startsWith("/internal/payments/by-intent/")) {
            String intent = path.substring("/internal/payments/by-intent/".length());
            LOOKUPS.add(intent);
            String payment = PAYMENTS.get(intent);
            respond(exchange, payment == null ? 404 : 200, payment == null ? "" : payment);
        } else if ("POST".equals(exchange.getRequestMethod()) && path.equals("/internal/payments/restore")) {
            RESTORES.add(body);
            String intent = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(body)
                    .path("data")
                    .path("object")
                    .path("id")
                    .asText();
            if (RESTORE_FAILS.contains(intent)) {
                respond(exchange, 500, "");
                return;
            }
            boolean known = PAYMENTS.containsKey(intent);
            PAYMENTS.put(intent, "{\"paymentIntentId\":\"" + intent + "\",\"status\":\"succeeded\"}");
            respond(
                    exchange,
                    200,
                    "{\"paymentIntentId\":\"" + intent + "\",\"listingRestored\":false,\"paymentRestored\":" + !known
                            + ",\"outcome\":\"succeeded\"}");
        } else if ("GET".equals(exchange.getRequestMethod())
                && path.startsWith("/internal/refunds/by-stripe-refund/")) {
            boolean known = KNOWN_REFUNDS.contains(path.substring("/internal/refunds/by-stripe-refund/".length()));
            respond(exchange, known ? 200 : 404, known ? "{}" : "");
        } else if ("GET".equals(exchange.getRequestMethod()) && path.startsWith("/internal/payments/by-subject/")) {
            respond(
                    exchange,
                    200,
                    SUBJECTS.getOrDefault(path.substring("/internal/payments/by-subject/".length()), "[]"));
        } else if ("GET".equals(exchange.getRequestMethod()) && path.equals("/internal/payments/captured")) {
            respond(exchange, 200, "[" + String.join(",", CAPTURED) + "]");
        } else if ("POST".equals(exchange.getRequestMethod()) && path.equals("/internal/ledger/amounts")) {
            List<String> rows = LEDGER.entrySet().stream()
                    .filter(e -> body.contains("\"" + e.getKey() + "\""))
                    .map(Map.Entry::getValue)
                    .toList();
            respond(exchange, 200, "[" + String.join(",", rows) + "]");
        } else {
            RECEIVED.add(new Received(
                    destination, path, exchange.getRequestHeaders().getFirst("X-Message-Id"), authorization, body));
            respond(exchange, path.equals("/internal/stripe-events") ? STRIPE_EVENTS_STATUS.get() : 200, "");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
