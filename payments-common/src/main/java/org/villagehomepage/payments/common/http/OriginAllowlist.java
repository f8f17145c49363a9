package org.villagehomepage.payments.common.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Pool;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.cards.CardNumbers;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.common.problem.Problem;
import org.villagehomepage.payments.common.problem.ProblemType;

/**
 * The Origin allowlist for browser calls, one for every service with browser endpoints. Runs just
 * before Quarkus's CORS filter (priority 300), which would refuse a foreign origin with a bare 403:
 * here it becomes a problem+json 403 {@code origin-not-allowed}, logged and - for the browser API
 * ({@code /api/...}) - audited as the service's denial, within the service's per-source budget so
 * that a loop cannot flood the trail. Requests without an Origin header (servers, curl) are not
 * browser calls and pass.
 */
public final class OriginAllowlist {

    private static final Logger LOG = Logger.getLogger(OriginAllowlist.class);
    private static final int PRIORITY = 400;

    /**
     * A refused call. {@code source} is the TCP peer, null when unknown; {@code represents} is how
     * many refusals an audit entry written now stands for, null when the budget allows none.
     */
    public record Refusal(String origin, String path, String source, Long represents) {

        /** A call to the browser API: counted and audited (other paths are only refused). */
        public boolean api() {
            return path.startsWith("/api/");
        }
    }

    private final Set<String> allowed;
    private final Function<String, Long> budget;
    private final Pool pool;
    private final AuditTrail audit;
    private final String deniedAction;
    private final Consumer<Refusal> count;

    /**
     * @param budget       source -> how many refusals an audit entry now stands for, or null (the
     *                     service's refusal limiter, shared with its other refusals)
     * @param deniedAction the audit action of a refusal, e.g. {@code checkout.denied}
     * @param count        the service's own counting of each refusal (metrics), before the budget
     */
    public OriginAllowlist(
            Collection<String> allowed,
            Function<String, Long> budget,
            Pool pool,
            AuditTrail audit,
            String deniedAction,
            Consumer<Refusal> count) {
        this.allowed = Set.copyOf(allowed);
        this.budget = budget;
        this.pool = pool;
        this.audit = audit;
        this.deniedAction = deniedAction;
        this.count = count;
    }

    /** For the service's {@code void register(@Observes Filters filters)}. */
    public void register(Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext ctx) {
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null || allowed.contains(origin)) {
            ctx.next();
            return;
        }
        String source = ctx.request().remoteAddress() == null
                ? null
                : ctx.request().remoteAddress().hostAddress();
        Refusal refusal = new Refusal(origin, ctx.request().path(), source, budget.apply(String.valueOf(source)));
        count.accept(refusal);
        // Logged and audited within the per-source budget only.
        if (refusal.represents() != null) {
            LOG.warnf(
                    "Refused browser call from a foreign origin: %s %s (refusals=%d)",
                    ctx.request().method(), refusal.path(), refusal.represents());
        }
        Uni<Void> recorded = refusal.api() && refusal.represents() != null
                ? audit.record(pool, denied(refusal))
                : Uni.createFrom().voidItem();
        recorded.subscribe().with(done -> refuse(ctx), e -> {
            LOG.errorf("Origin denial not audited: %s", FailureKind.of(e));
            refuse(ctx);
        });
    }

    private AuditEvent.Builder denied(Refusal refusal) {
        return AuditEvent.builder(deniedAction, "denied")
                .actor("user", "unauthenticated")
                .sourceIp(refusal.source())
                .details(Map.of(
                        "reason",
                        "origin",
                        "origin",
                        auditable(refusal.origin()),
                        "path",
                        auditable(refusal.path()),
                        "refusals",
                        refusal.represents().toString()));
    }

    /** The problem+json 403 {@code origin-not-allowed}, unless something already answered. */
    static void refuse(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        Object requestId = ctx.get(RequestIds.MDC_KEY);
        Problem problem = Problem.of(
                ProblemType.ORIGIN_NOT_ALLOWED,
                "Requests from this origin are not allowed",
                ctx.request().path(),
                requestId == null ? null : requestId.toString());
        ctx.response()
                .setStatusCode(403)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Json.encode(problem));
    }

    /** A client-sent value (origin, path) as it may go into the audit trail: card numbers masked, 200 chars at most. */
    static String auditable(String value) {
        String redacted = CardNumbers.redact(value);
        return redacted.length() > 200 ? redacted.substring(0, 200) : redacted;
    }
}
