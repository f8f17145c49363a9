package org.villagehomepage.payments.checkout.web;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.CheckoutSettings;
import org.villagehomepage.payments.checkout.payment.PaymentMetrics;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.http.OriginRefusal;
import org.villagehomepage.payments.common.panache.AuditTrail;
import org.villagehomepage.payments.common.problem.FailureKind;

/**
 * The Origin allowlist for browser calls. Runs just before Quarkus's CORS filter (priority 300),
 * which would refuse a foreign origin with a bare 403: here it becomes a problem+json 403, counted
 * and audited. Requests without an Origin header (servers, curl) are not browser calls and pass.
 */
@ApplicationScoped
public class OriginFilter {

    private static final Logger LOG = Logger.getLogger(OriginFilter.class);
    private static final int PRIORITY = 400;

    private final Set<String> allowed;
    private final PaymentMetrics metrics;
    private final AuditTrail audit;
    private final Refusals refusals;

    public OriginFilter(CheckoutSettings settings, PaymentMetrics metrics, AuditTrail audit, Refusals refusals) {
        this.allowed = Set.copyOf(settings.allowedOrigins());
        this.metrics = metrics;
        this.audit = audit;
        this.refusals = refusals;
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    private void check(RoutingContext ctx) {
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null || allowed.contains(origin)) {
            ctx.next();
            return;
        }
        boolean api = ctx.request().path().startsWith("/api/");
        String source = Caller.sourceIp(ctx.request());
        Uni<Void> recorded = Uni.createFrom().voidItem();
        if (api) {
            metrics.denied("origin");
        }
        // Counted always; logged and audited within the per-source budget only (Refusals).
        Long represents = refusals.admit("origin", String.valueOf(source));
        if (represents != null) {
            LOG.warnf(
                    "Refused browser call from a foreign origin: %s %s (refusals=%d)",
                    ctx.request().method(), ctx.request().path(), represents);
        }
        if (api && represents != null) {
            recorded = Panache.withTransaction(() -> audit.record(AuditEvent.builder("checkout.denied", Audits.DENIED)
                    .actor("user", "unauthenticated")
                    .sourceIp(source)
                    .details(Map.of(
                            "reason",
                            "origin",
                            "origin",
                            OriginRefusal.auditable(origin),
                            "path",
                            OriginRefusal.auditable(ctx.request().path()),
                            "refusals",
                            represents.toString()))));
        }
        recorded.subscribe().with(done -> OriginRefusal.refuse(ctx), e -> {
            LOG.errorf("Origin denial not audited: %s", FailureKind.of(e));
            OriginRefusal.refuse(ctx);
        });
    }
}
