package org.villagehomepage.payments.common.http;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Bucket4j token buckets per source and overall, for writing at most a bounded number of records
 * about refused requests. A refusal that finds no token is remembered, and the next admitted record
 * of that source says how many refusals it stands for. Time is passed in (nanoseconds).
 * Used for every kind of refusal an unauthenticated loop can cause (webhook signatures, foreign
 * origins, 429s), so none of them can flood the append-only audit trail or the outbox.
 */
public final class SourceRateLimiter {

    private final Bandwidth perSource;
    private final int maxSources;
    private final Map<String, Source> sources = new HashMap<>();
    private final Bucket overall;
    /** The time of the call in progress: admit is synchronized, and the buckets read it. */
    private long now;

    private final TimeMeter clock = PerUserRateLimiter.timeMeter(() -> now);

    public SourceRateLimiter(int burstPerSource, int perSourcePerMinute, int perSecond, int maxSources, long now) {
        this.now = now;
        // refilled evenly: perSourcePerMinute a minute, i.e. one token every 60/perSourcePerMinute s
        this.perSource = Bandwidth.builder()
                .capacity(burstPerSource)
                .refillGreedy(perSourcePerMinute, Duration.ofMinutes(1))
                .build();
        this.maxSources = maxSources;
        this.overall = Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(perSecond)
                        .refillGreedy(perSecond, Duration.ofSeconds(1))
                        .build())
                .withCustomTimePrecision(clock)
                .build();
    }

    private static final class Source {
        final Bucket bucket;
        long suppressed;

        Source(Bucket bucket) {
            this.bucket = bucket;
        }
    }

    /** How many refusals a record written now stands for, or null when none may be written. */
    public synchronized Long admit(String source, long now) {
        this.now = now;
        Source entry = sources.get(source);
        if (entry == null) {
            if (sources.size() >= maxSources) {
                forgetIdle();
            }
            if (sources.size() >= maxSources) {
                return null;
            }
            entry = new Source(Bucket.builder()
                    .addLimit(perSource)
                    .withCustomTimePrecision(clock)
                    .build());
            sources.put(source, entry);
        }
        if (entry.bucket.getAvailableTokens() < 1 || overall.getAvailableTokens() < 1) {
            entry.suppressed++;
            return null;
        }
        entry.bucket.tryConsume(1);
        overall.tryConsume(1);
        long represents = entry.suppressed + 1;
        entry.suppressed = 0;
        return represents;
    }

    /** Drops sources with a full bucket and nothing owed: they would start afresh anyway. */
    private void forgetIdle() {
        for (Iterator<Source> it = sources.values().iterator(); it.hasNext(); ) {
            Source entry = it.next();
            if (entry.suppressed == 0 && entry.bucket.getAvailableTokens() >= perSource.getCapacity()) {
                it.remove();
            }
        }
    }
}
