package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Stripe's idempotency keys: scoped per API key, kept 24 h by the emulator clock. A finished request's
 * status and body are replayed byte for byte; a request whose key is still running gets a 409.
 */
final class IdempotencyStore {
    static final Duration RETENTION = Duration.ofHours(24);

    enum Kind { PROCEED, REPLAY, MISMATCH, IN_FLIGHT }

    record Stored(int status, String body, String requestId) {
    }

    record Begin(Kind kind, Stored stored) {
    }

    private static final class Entry {
        final JsonNode fingerprint;
        final long createdAt;
        Stored result;

        Entry(JsonNode fingerprint, long createdAt) {
            this.fingerprint = fingerprint;
            this.createdAt = createdAt;
        }
    }

    private final EmulatorClock clock;
    private final Map<String, Entry> entries = new HashMap<>();

    IdempotencyStore(EmulatorClock clock) {
        this.clock = clock;
    }

    /** {@code fingerprint}: method, path and the parsed parameters of the request. */
    synchronized Begin begin(String apiKey, String key, JsonNode fingerprint) {
        long now = clock.nowMillis();
        entries.values().removeIf(e -> e.result != null && e.createdAt + RETENTION.toMillis() <= now);
        String scoped = scope(apiKey, key);
        Entry e = entries.get(scoped);
        if (e == null) {
            entries.put(scoped, new Entry(fingerprint, now));
            return new Begin(Kind.PROCEED, null);
        }
        if (e.result == null) {
            return new Begin(Kind.IN_FLIGHT, null);
        }
        if (!e.fingerprint.equals(fingerprint)) {
            return new Begin(Kind.MISMATCH, null);
        }
        return new Begin(Kind.REPLAY, e.result);
    }

    synchronized void complete(String apiKey, String key, Stored result) {
        Entry e = entries.get(scope(apiKey, key));
        if (e != null) {
            e.result = result;
        }
    }

    /** For faults that had no effect: the key is free again, as if the request never arrived. */
    synchronized void release(String apiKey, String key) {
        Entry e = entries.get(scope(apiKey, key));
        if (e != null && e.result == null) {
            entries.remove(scope(apiKey, key));
        }
    }

    synchronized void reset() {
        entries.clear();
    }

    private static String scope(String apiKey, String key) {
        return apiKey + '\u0000' + key;
    }
}
