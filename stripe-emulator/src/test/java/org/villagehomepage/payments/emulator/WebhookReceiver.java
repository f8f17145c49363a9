package org.villagehomepage.payments.emulator;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/** A JDK HTTP server that receives webhooks and verifies each with stripe-java's Webhook.constructEvent. */
final class WebhookReceiver implements AutoCloseable {

    record Received(
            String eventId,
            String type,
            String payload,
            String signature,
            String userAgent,
            String contentType,
            boolean verified,
            Event event) {}

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final List<String> secrets;
    private final List<Received> received = new ArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile IntUnaryOperator statusForRequest = n -> 200;

    WebhookReceiver(List<String> secrets) throws IOException {
        this.secrets = List.copyOf(secrets);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/webhook", exchange -> {
            int n = requests.incrementAndGet();
            String payload;
            try (InputStream in = exchange.getRequestBody()) {
                payload = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String sig = exchange.getRequestHeaders().getFirst("Stripe-Signature");
            boolean verified = true;
            Event event = null;
            for (String secret : this.secrets) {
                try {
                    event = Webhook.constructEvent(payload, sig, secret);
                } catch (SignatureVerificationException e) {
                    verified = false;
                }
            }
            synchronized (received) {
                received.add(new Received(
                        event == null ? null : event.getId(),
                        event == null ? null : event.getType(),
                        payload,
                        sig,
                        exchange.getRequestHeaders().getFirst("User-Agent"),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        verified,
                        event));
                received.notifyAll();
            }
            int status = statusForRequest.applyAsInt(n);
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.setExecutor(pool);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook";
    }

    /** Status to answer for the n-th request (1-based). */
    void respondWith(IntUnaryOperator statusForRequest) {
        this.statusForRequest = statusForRequest;
    }

    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    List<Received> awaitCount(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (received) {
            while (received.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                received.wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
