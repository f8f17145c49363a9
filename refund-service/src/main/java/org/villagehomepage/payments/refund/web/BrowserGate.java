package org.villagehomepage.payments.refund.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.http.OriginAllowlist;
import org.villagehomepage.payments.common.http.PerUserRateLimiter;
import org.villagehomepage.payments.common.http.SourceRateLimiter;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.refund.RefundSettings;

/**
 * The browser endpoints (/api/marketplace/refunds) get what checkout's get: the Origin allowlist
 * (payments-common {@link OriginAllowlist}: before authentication, a foreign Origin is a problem+json
 * 403), CORS (application.properties) and a per-user rate limit. Refusals are counted into the
 * audit trail as {@code refund.denied} within a per-source budget, so a loop cannot flood it.
 * A request without Origin is not a browser call and passes (docs/architecture.md).
 */
@ApplicationScoped
public class BrowserGate {

    private final OriginAllowlist allowlist;
    private final Pool pool;
    private final AuditTrail audit;
    private final PerUserRateLimiter limiter;
    private final SourceRateLimiter refusals = new SourceRateLimiter(5, 6, 20, 10_000, System.nanoTime());

    public BrowserGate(RefundSettings settings, Pool pool, AuditTrail audit) {
        this.allowlist = new OriginAllowlist(
                settings.allowedOrigins(),
                source -> refusals.admit("origin:" + source, System.nanoTime()),
                pool,
                audit,
                "refund.denied",
                refusal -> {});
        this.pool = pool;
        this.audit = audit;
        this.limiter = new PerUserRateLimiter(
                settings.rateLimit().capacity(), settings.rateLimit().period(), System::nanoTime);
    }

    void register(@Observes Filters filters) {
        allowlist.register(filters);
    }

    /** For refund requests: fails with 429 (and Retry-After) once the user's budget is spent. */
    public Uni<Void> admit(UUID userId) {
        return limiter.acquire(userId)
                .map(wait -> {
                    Long represents = refusals.admit("rate_limited:" + userId, System.nanoTime());
                    Uni<Void> recorded = represents == null
                            ? Uni.createFrom().voidItem()
                            // one INSERT on the pool: its own transaction, as OriginAllowlist records a denial
                            : audit.record(
                                    pool,
                                    AuditEvent.builder("refund.denied", "denied")
                                            .actor("user", userId.toString())
                                            .details(Map.of(
                                                    "reason", "rate_limited", "refusals", represents.toString())));
                    return recorded.chain(() -> Uni.createFrom().<Void>failure(rateLimited(wait)));
                })
                .orElseGet(() -> Uni.createFrom().voidItem());
    }

    private static ProblemException rateLimited(Duration wait) {
        return PerUserRateLimiter.tooManyRequests(wait, "Too many refund requests; try again later");
    }
}
