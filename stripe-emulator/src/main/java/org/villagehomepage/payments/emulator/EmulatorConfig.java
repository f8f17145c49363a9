package org.villagehomepage.payments.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Start-up settings of a {@link StripeEmulator}; build with {@link #builder()}. Immutable. */
public final class EmulatorConfig {
    /** Port used by {@link Main} when EMULATOR_PORT is not set. */
    public static final int DEFAULT_MAIN_PORT = 12111;

    /** A webhook endpoint known from start-up; {@code enabledEvents} ["*"] means all events. */
    public record WebhookEndpointConfig(String url, List<String> secrets, List<String> enabledEvents) {
        public WebhookEndpointConfig {
            Objects.requireNonNull(url, "url");
            secrets = List.copyOf(secrets);
            if (secrets.isEmpty() || secrets.size() > 2) {
                throw new IllegalArgumentException("a webhook endpoint needs one secret, or two while rolling");
            }
            enabledEvents =
                    enabledEvents == null || enabledEvents.isEmpty() ? List.of("*") : List.copyOf(enabledEvents);
        }
    }

    private final int port;
    private final String host;
    private final long seed;
    private final List<WebhookEndpointConfig> webhookEndpoints;
    private final Duration retryBase;
    private final Duration retryCap;
    private final Duration retryWindow;
    private final Duration deliveryTimeout;
    private final Duration shuffleWindow;
    private final int deliveryThreads;
    private final String faultsJson;
    private final long retainBytes;
    private final int deliveryConcurrency;
    private final int deliveryLogLimit;
    private final boolean accessLog;

    private EmulatorConfig(Builder b) {
        this.retainBytes =
                b.retainBytes > 0 ? b.retainBytes : Runtime.getRuntime().maxMemory() / 2;
        this.deliveryConcurrency = b.deliveryConcurrency;
        this.deliveryLogLimit = b.deliveryLogLimit;
        this.accessLog = b.accessLog;
        this.port = b.port;
        this.host = b.host;
        this.seed = b.seed;
        this.webhookEndpoints = List.copyOf(b.webhookEndpoints);
        this.retryBase = b.retryBase;
        this.retryCap = b.retryCap;
        this.retryWindow = b.retryWindow;
        this.deliveryTimeout = b.deliveryTimeout;
        this.shuffleWindow = b.shuffleWindow;
        this.deliveryThreads = b.deliveryThreads;
        this.faultsJson = b.faultsJson;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Random free port, seed 42, no endpoints, default retry schedule, no faults. */
    public static EmulatorConfig defaults() {
        return builder().build();
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    public long seed() {
        return seed;
    }

    public List<WebhookEndpointConfig> webhookEndpoints() {
        return webhookEndpoints;
    }

    /** First retry delay; later ones double. */
    public Duration retryBase() {
        return retryBase;
    }

    /** Longest single retry delay. */
    public Duration retryCap() {
        return retryCap;
    }

    /** After this long since the first attempt a failing delivery is given up. */
    public Duration retryWindow() {
        return retryWindow;
    }

    public Duration deliveryTimeout() {
        return deliveryTimeout;
    }

    /** How long deliveries are held to be reordered when the shuffle fault is on. */
    public Duration shuffleWindow() {
        return shuffleWindow;
    }

    public int deliveryThreads() {
        return deliveryThreads;
    }

    /** Initial faults in the JSON shape of {@code PUT /_emulator/faults}; null = none. */
    public String faultsJson() {
        return faultsJson;
    }

    /**
     * Heap budget for what the emulator remembers (objects, events, idempotency keys, as compact JSON):
     * past it the oldest go first. Default: half the maximum heap, so the default heap never runs out.
     */
    public long retainBytes() {
        return retainBytes;
    }

    /** Deliveries outstanding at once per endpoint; 1 = each waits for the one before (strict event order). */
    public int deliveryConcurrency() {
        return deliveryConcurrency;
    }

    /** Delivery attempts kept for {@code GET /_emulator/deliveries} (the newest). */
    public int deliveryLogLimit() {
        return deliveryLogLimit;
    }

    /** One log line per request. */
    public boolean accessLog() {
        return accessLog;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.port = port;
        b.host = host;
        b.seed = seed;
        b.webhookEndpoints.addAll(webhookEndpoints);
        b.retryBase = retryBase;
        b.retryCap = retryCap;
        b.retryWindow = retryWindow;
        b.deliveryTimeout = deliveryTimeout;
        b.shuffleWindow = shuffleWindow;
        b.deliveryThreads = deliveryThreads;
        b.faultsJson = faultsJson;
        b.retainBytes = retainBytes;
        b.deliveryConcurrency = deliveryConcurrency;
        b.deliveryLogLimit = deliveryLogLimit;
        b.accessLog = accessLog;
        return b;
    }

    public static final class Builder {
        private int port = 0;
        private String host = "127.0.0.1";
        private long seed = 42L;
        private final List<WebhookEndpointConfig> webhookEndpoints = new ArrayList<>();
        private Duration retryBase = Duration.ofSeconds(1);
        private Duration retryCap = Duration.ofSeconds(60);
        private Duration retryWindow = Duration.ofHours(1);
        private Duration deliveryTimeout = Duration.ofSeconds(5);
        private Duration shuffleWindow = Duration.ofMillis(200);
        private int deliveryThreads = 4;
        private String faultsJson;
        private long retainBytes;
        private int deliveryConcurrency = 1;
        private int deliveryLogLimit = 10_000;
        private boolean accessLog = true;

        private Builder() {}

        /** 0 picks a random free port. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder webhookEndpoint(String url, List<String> secrets, List<String> enabledEvents) {
            webhookEndpoints.add(new WebhookEndpointConfig(url, secrets, enabledEvents));
            return this;
        }

        public Builder webhookEndpoint(String url, String secret) {
            return webhookEndpoint(url, List.of(secret), List.of("*"));
        }

        /** Retries after base, 2*base, 4*base ... each capped at {@code cap}, until {@code window} has passed. */
        public Builder retrySchedule(Duration base, Duration cap, Duration window) {
            if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0 || window.isNegative()) {
                throw new IllegalArgumentException("retry schedule needs 0 < base <= cap and window >= 0");
            }
            this.retryBase = base;
            this.retryCap = cap;
            this.retryWindow = window;
            return this;
        }

        public Builder deliveryTimeout(Duration timeout) {
            this.deliveryTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Builder shuffleWindow(Duration window) {
            this.shuffleWindow = Objects.requireNonNull(window);
            return this;
        }

        public Builder deliveryThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("deliveryThreads must be >= 1");
            }
            this.deliveryThreads = threads;
            return this;
        }

        /** 0 = half the maximum heap. */
        public Builder retainBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("retainBytes must be >= 0");
            }
            this.retainBytes = bytes;
            return this;
        }

        public Builder deliveryConcurrency(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("deliveryConcurrency must be >= 1");
            }
            this.deliveryConcurrency = n;
            return this;
        }

        public Builder deliveryLogLimit(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("deliveryLogLimit must be >= 1");
            }
            this.deliveryLogLimit = n;
            return this;
        }

        public Builder accessLog(boolean on) {
            this.accessLog = on;
            return this;
        }

        /** Initial faults as JSON (same shape as {@code PUT /_emulator/faults}). */
        public Builder faultsJson(String json) {
            this.faultsJson = json;
            return this;
        }

        public EmulatorConfig build() {
            return new EmulatorConfig(this);
        }
    }
}
