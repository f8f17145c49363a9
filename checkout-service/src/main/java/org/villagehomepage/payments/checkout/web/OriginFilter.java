package org.villagehomepage.payments.checkout.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.villagehomepage.payments.checkout.CheckoutSettings;
import org.villagehomepage.payments.checkout.payment.PaymentMetrics;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.http.OriginAllowlist;

/**
 * checkout's Origin allowlist for browser calls (payments-common's {@link OriginAllowlist}): a foreign
 * Origin is a problem+json 403, counted ({@code denied{reason=origin}} for the API) and audited as
 * {@code checkout.denied} within the {@link Refusals} budget it shares with the 429s.
 */
@ApplicationScoped
public class OriginFilter {

    private final OriginAllowlist allowlist;

    public OriginFilter(
            CheckoutSettings settings, PaymentMetrics metrics, Pool pool, AuditTrail audit, Refusals refusals) {
        this.allowlist = new OriginAllowlist(
                settings.allowedOrigins(),
                source -> refusals.admit("origin", source),
                pool,
                audit,
                "checkout.denied",
                refusal -> {
                    if (refusal.api()) {
                        metrics.denied("origin");
                    }
                });
    }

    void register(@Observes Filters filters) {
        allowlist.register(filters);
    }
}
