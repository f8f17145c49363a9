package org.villagehomepage.payments.checkout.web;

import jakarta.enterprise.context.ApplicationScoped;
import org.villagehomepage.payments.common.http.SourceRateLimiter;

/**
 * Bounds the audit entries that refused requests can cause (foreign Origin before
 * authentication, 429s): an unauthenticated loop must not flood the append-only trail (kept at
 * least 12 months) or the outbox. Per source a burst of 5, then 6 per minute, 20 per second for all
 * sources together, as webhook signature refusals; refusals beyond that are only counted (metric),
 * and the next entry of that source says how many it stands for ({@code refusals}).
 */
@ApplicationScoped
public class Refusals {

    private final SourceRateLimiter limiter = new SourceRateLimiter(5, 6, 20, 10_000, System.nanoTime());

    /** How many refusals an audit entry written now stands for, or null when none may be written. */
    public Long admit(String kind, String source) {
        return limiter.admit(kind + ":" + source, System.nanoTime());
    }
}
