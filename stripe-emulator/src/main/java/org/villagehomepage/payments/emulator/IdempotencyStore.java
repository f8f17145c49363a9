package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * Stripe's idempotency keys: scoped per API key, kept 24 h by the emulator clock. A finished request's
 * status and body are replayed byte for byte; a request whose key is still running gets a 409.
 */
final class IdempotencyStore {
    static final Duration RETENTION = Duration.ofHours(24);

    enum Kind {
        PROCEED,
        REPLAY,
        MISMATCH,
        IN_FLIGHT
    }

    record Stored(int status, String body, String requestId) {}

    record Begin(Kind kind, Stored stored) {}

    /**
     * The fingerprint rests as JSON bytes; it is parsed again only when a key comes back. Immutable:
     * completing a key replaces its entry, so the retention counts the body it adds (a mutated entry
     * was counted at its size before the body, and finished keys escaped the budget).
     */
    private record Entry(byte[] fingerprint, long createdAt, Stored result) {
        long size() {
            return 160L
                    + fingerprint.length
                    + (result == null ? 0 : result.body().length() + 64L);
        }
    }

    private final EmulatorClock clock;
    // in creation order, so expiry looks only at the oldest; also bounded in bytes (oldest evicted first)
    private final Retention<Entry> entries;

    IdempotencyStore(EmulatorClock clock, long budgetBytes) {
        this.clock = clock;
        this.entries = new Retention<>(budgetBytes, Entry::size);
    }

    /** {@code fingerprint}: method, path and the parsed parameters of the request. */
    synchronized Begin begin(String apiKey, String key, JsonNode fingerprint) {
        long now = clock.nowMillis();
        expire(now);
        String scoped = scope(apiKey, key);
        Entry e = entries.get(scoped);
        if (e == null) {
            entries.put(scoped, new Entry(bytes(fingerprint), now, null));
            return new Begin(Kind.PROCEED, null);
        }
        if (e.result() == null) {
            return new Begin(Kind.IN_FLIGHT, null);
        }
        if (!fingerprint.equals(parse(e.fingerprint()))) {
            return new Begin(Kind.MISMATCH, null);
        }
        return new Begin(Kind.REPLAY, e.result());
    }

    synchronized void complete(String apiKey, String key, Stored result) {
        String scoped = scope(apiKey, key);
        Entry e = entries.get(scoped);
        if (e != null) {
            entries.put(scoped, new Entry(e.fingerprint(), e.createdAt(), result)); // keeps its place in the order
        }
    }

    /** For faults that had no effect: the key is free again, as if the request never arrived. */
    synchronized void release(String apiKey, String key) {
        Entry e = entries.get(scope(apiKey, key));
        if (e != null && e.result() == null) {
            entries.remove(scope(apiKey, key));
        }
    }

    synchronized void reset() {
        entries.clear();
    }

    synchronized Retention.Kept retention() {
        return entries.kept();
    }

    private void expire(long now) {
        for (var it = entries.entries().values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.createdAt() + RETENTION.toMillis() > now) {
                return; // the rest are younger
            }
            if (e.result() != null) {
                entries.remove(it, e);
            }
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot serialise a fingerprint", e);
        }
    }

    private static JsonNode parse(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read a fingerprint", e);
        }
    }

    private static String scope(String apiKey, String key) {
        return apiKey + '\u0000' + key;
    }
}
