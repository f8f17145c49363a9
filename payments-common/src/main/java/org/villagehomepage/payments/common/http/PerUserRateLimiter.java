package org.villagehomepage.payments.common.http;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;

/**
 * A Bucket4j token bucket per user over browser requests that cost something (checkout, promote,
 * refund requests): {@code capacity} at once, refilled evenly over {@code period}. In memory, per
 * replica: with N replicas a user gets at most N times the budget, which still stops a runaway client.
 */
public class PerUserRateLimiter {

    private static final int MAX_TRACKED_USERS = 100_000;

    private final Bandwidth limit;
    private final TimeMeter clock;
    private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();

    public PerUserRateLimiter(int capacity, Duration period, LongSupplier nanoClock) {
        this.limit = Bandwidth.builder()
                .capacity(capacity)
                .refillGreedy(capacity, period)
                .build();
        this.clock = timeMeter(nanoClock);
    }

    /** Empty when the request may go ahead; otherwise how long to wait for the next token. */
    public Optional<Duration> acquire(UUID userId) {
        if (buckets.size() > MAX_TRACKED_USERS) {
            buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= limit.getCapacity());
        }
        ConsumptionProbe probe = buckets.computeIfAbsent(userId, id -> bucket()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /**
     * The 429 {@code rate-limited} problem for a refused request, with {@code Retry-After} in whole
     * seconds (at least 1) until the next token.
     */
    public static ProblemException tooManyRequests(Duration wait, String detail) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return new ProblemException(ProblemType.RATE_LIMITED, detail, Map.of("Retry-After", Long.toString(seconds)));
    }

    private Bucket bucket() {
        return Bucket.builder().addLimit(limit).withCustomTimePrecision(clock).build();
    }

    /** Bucket4j's clock from a nanosecond source (System::nanoTime in service, a settable one in tests). */
    static TimeMeter timeMeter(LongSupplier nanoClock) {
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoClock.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
    }
}
