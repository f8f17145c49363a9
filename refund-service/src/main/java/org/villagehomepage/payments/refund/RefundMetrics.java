package org.villagehomepage.payments.refund;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;
import org.villagehomepage.payments.refund.request.RefundReason;

/**
 * The refund rows of docs/metrics.md. Counted after the change committed, never before. Created at
 * startup, so every series is exported at zero before the first event (alerts on absent series).
 */
@Startup
@ApplicationScoped
public class RefundMetrics {

    private final MeterRegistry registry;
    private final AtomicLong pending = new AtomicLong();

    public RefundMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("homepage_refunds_pending", pending);
        for (RefundReason reason : RefundReason.values()) {
            // registered at zero so rate() and ratio alerts have a series from the start
            registry.counter("homepage_refunds_processed", "reason", reason.wire());
            registry.counter("homepage_refunds_requested", "reason", reason.wire());
            registry.counter("homepage_refunds_failed", "reason", reason.wire());
            registry.counter("homepage_refunds_outcome_unknown", "reason", reason.wire());
        }
        registry.counter("homepage_chargebacks");
        registry.counter("homepage_user_bans");
    }

    public void requested(RefundReason reason) {
        registry.counter("homepage_refunds_requested", "reason", reason.wire()).increment();
    }

    public void processed(RefundReason reason) {
        registry.counter("homepage_refunds_processed", "reason", reason.wire()).increment();
    }

    public void failed(RefundReason reason) {
        registry.counter("homepage_refunds_failed", "reason", reason.wire()).increment();
    }

    /** Stripe did not answer a refund call after its retries; the request stays approved for recovery. */
    public void outcomeUnknown(RefundReason reason) {
        registry.counter("homepage_refunds_outcome_unknown", "reason", reason.wire())
                .increment();
    }

    public void chargeback() {
        registry.counter("homepage_chargebacks").increment();
    }

    public void ban() {
        registry.counter("homepage_user_bans").increment();
    }

    public void pending(long count) {
        pending.set(count);
    }
}
