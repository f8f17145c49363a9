package org.villagehomepage.payments.common.outbox;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.HashMap;
import java.util.Map;

/** Relay settings for tests that compress time; the production defaults are proven elsewhere. */
public final class OutboxTestProfiles {

    private OutboxTestProfiles() {}

    /** Retries a millisecond apart and dead after 3 attempts, so a test sees the whole life of a message. */
    public static class FastRetries implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return fast();
        }
    }

    /** The relay on its own timer. */
    public static class RelayOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = fast();
            config.put("outbox.relay.enabled", "true");
            config.put("outbox.relay.interval", "50ms");
            return config;
        }
    }

    /**
     * The relay on its own, polling only once an hour: a message relayed within a test was relayed
     * because its insert woke the relay (LISTEN/NOTIFY), never by the poll.
     */
    public static class ListenOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = fast();
            config.put("outbox.relay.enabled", "true");
            config.put("outbox.relay.interval", "1h");
            return config;
        }
    }

    /**
     * A short lease against a slow receiver: with the old relay (50 claimed, 16 sent at a time over
     * 5 pooled connections) the tail of a batch was sent seconds after its 3 s lease had run out.
     * The receiver answers in 0.5 s, a quarter of the request timeout, so no delivery times out.
     */
    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = fast();
            config.put("outbox.relay.lease", "3s");
            config.put("outbox.relay.request-timeout", "2s");
            return config;
        }
    }

    /** The test receiver's events endpoint is a merged path, at most 25 events per request. */
    public static class Merged implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = fast();
            config.put("outbox.relay.merged-paths", "/internal/test-receiver/events,/internal/audit/events");
            config.put("outbox.relay.merge-max", "25");
            config.put("outbox.destinations.broken", "http://[not-a-url"); // no request can be built to it
            return config;
        }
    }

    static Map<String, String> fast() {
        Map<String, String> config = new HashMap<>();
        config.put("outbox.relay.max-attempts", "3");
        config.put("outbox.relay.retry-window", "0s");
        config.put("outbox.relay.base-backoff", "1ms");
        config.put("outbox.relay.max-backoff", "2ms");
        return config;
    }
}
