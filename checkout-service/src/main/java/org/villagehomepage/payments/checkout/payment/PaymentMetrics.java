package org.villagehomepage.payments.checkout.payment;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The checkout rows of docs/metrics.md (ops' contract: names and labels must not change). Counters
 * move after the transaction that made the fact has committed.
 */
@ApplicationScoped
public class PaymentMetrics {

    private final MeterRegistry registry;

    public PaymentMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void intentCreated(PaymentPurpose purpose) {
        registry.counter("homepage_payments_intents_created", "type", purpose.value()).increment();
    }

    public void succeeded(PaymentPurpose purpose, long amount, String currency) {
        registry.counter("homepage_payments_succeeded", "type", purpose.value()).increment();
        registry.counter("homepage_payments_revenue_cents", "type", purpose.value(), "currency", currency).increment(amount);
    }

    public void failed(PaymentPurpose purpose) {
        registry.counter("homepage_payments_failed", "type", purpose.value()).increment();
    }

    public void amountMismatch(PaymentPurpose purpose) {
        registry.counter("homepage_payments_amount_mismatch", "type", purpose.value()).increment();
    }

    /** {@code reason}: {@code banned}, {@code rate_limited} or {@code origin}. */
    public void denied(String reason) {
        registry.counter("homepage_checkout_denied", "reason", reason).increment();
    }

    /** {@code outcome}: {@code success}, {@code failure} or {@code denied}. */
    public void checkoutDuration(PaymentPurpose purpose, String outcome, Duration duration) {
        Timer.builder("homepage_checkout_duration")
                .tags("type", purpose.value(), "outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)
                .record(duration);
    }
}
