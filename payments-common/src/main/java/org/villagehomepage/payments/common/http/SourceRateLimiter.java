package org.villagehomepage.payments.common.http;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Token buckets per source and overall, for writing at most a bounded number of records about
 * refused requests. A refusal that finds no token is remembered, and the next admitted record of
 * that source says how many refusals it stands for. Pure logic; time is passed in (nanoseconds).
 * Used for every kind of refusal an unauthenticated loop can cause (webhook signatures, foreign
 * origins, 429s), so none of them can flood the append-only audit trail or the outbox.
 */
public final class SourceRateLimiter {

    private final int burstPerSource;
    private final double perSourcePerNano;
    private final int maxSources;
    private final Map<String, Bucket> sources = new HashMap<>();
    private final Bucket overall;

    public SourceRateLimiter(int burstPerSource, int perSourcePerMinute, int perSecond, int maxSources, long now) {
        this.burstPerSource = burstPerSource;
        this.perSourcePerNano = perSourcePerMinute / 60e9;
        this.maxSources = maxSources;
        this.overall = new Bucket(perSecond, perSecond / 1e9, now);
    }

    private static final class Bucket {
        final double capacity;
        final double perNano;
        double tokens;
        long updated;
        long suppressed;

        Bucket(double capacity, double perNano, long now) {
            this.capacity = capacity;
            this.perNano = perNano;
            this.tokens = capacity;
            this.updated = now;
        }

        private void refill(long now) {
            tokens = Math.min(capacity, tokens + (now - updated) * perNano);
            updated = now;
        }

        boolean available(long now) {
            refill(now);
            return tokens >= 1;
        }
    }

    /** How many refusals a record written now stands for, or null when none may be written. */
    public synchronized Long admit(String source, long now) {
        Bucket bucket = sources.get(source);
        if (bucket == null) {
            if (sources.size() >= maxSources) {
                forgetIdle(now);
            }
            if (sources.size() >= maxSources) {
                return null;
            }
            bucket = new Bucket(burstPerSource, perSourcePerNano, now);
            sources.put(source, bucket);
        }
        if (!bucket.available(now) || !overall.available(now)) {
            bucket.suppressed++;
            return null;
        }
        bucket.tokens -= 1;
        overall.tokens -= 1;
        long represents = bucket.suppressed + 1;
        bucket.suppressed = 0;
        return represents;
    }

    /** Drops sources with a full bucket and nothing owed: they would start afresh anyway. */
    private void forgetIdle(long now) {
        for (Iterator<Bucket> it = sources.values().iterator(); it.hasNext(); ) {
            Bucket bucket = it.next();
            bucket.refill(now);
            if (bucket.suppressed == 0 && bucket.tokens >= bucket.capacity) {
                it.remove();
            }
        }
    }
}
