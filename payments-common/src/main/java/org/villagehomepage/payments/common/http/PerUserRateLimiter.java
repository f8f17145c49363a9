package org.villagehomepage.payments.common.http;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per user over browser requests that cost something (checkout, promote, refund
 * requests). In memory, per replica: with N replicas a user gets at most N times the budget, which
 * still stops a runaway client.
 */
public class PerUserRateLimiter {

    private static final int MAX_TRACKED_USERS = 100_000;

    private final int capacity;
    private final long refillNanosPerToken;
    private final LongSupplier clock;
    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    public PerUserRateLimiter(int capacity, Duration period, LongSupplier clock) {
        this.capacity = capacity;
        this.refillNanosPerToken = Math.max(1, period.toNanos() / capacity);
        this.clock = clock;
    }

    /** Empty when the request may go ahead; otherwise how long to wait for the next token. */
    public Optional<Duration> acquire(UUID userId) {
        long now = clock.getAsLong();
        if (buckets.size() > MAX_TRACKED_USERS) {
            buckets.values().removeIf(bucket -> bucket.isFull(now));
        }
        long wait = buckets.computeIfAbsent(userId, id -> new Bucket(now)).take(now);
        return wait == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(wait));
    }

    /** Credit is kept in nanoseconds of refill time: one token is {@code refillNanosPerToken}. */
    private final class Bucket {
        private long credit;
        private long updated;

        Bucket(long now) {
            this.credit = full();
            this.updated = now;
        }

        synchronized long take(long now) {
            refill(now);
            if (credit >= refillNanosPerToken) {
                credit -= refillNanosPerToken;
                return 0;
            }
            return refillNanosPerToken - credit;
        }

        synchronized boolean isFull(long now) {
            refill(now);
            return credit >= full();
        }

        private void refill(long now) {
            credit = Math.min(full(), credit + Math.max(0, now - updated));
            updated = now;
        }

        private long full() {
            return refillNanosPerToken * capacity;
        }
    }
}
