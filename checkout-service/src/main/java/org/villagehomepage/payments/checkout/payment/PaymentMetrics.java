package org.villagehomepage.payments.checkout.payment;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.villagehomepage.payments.checkout.CheckoutSettings;

/**
 * The checkout rows of docs/metrics.md (ops' contract: names and labels must not change). Counters
 * move after the transaction that made the fact has committed. Every series is registered at zero
 * when the service starts, so Prometheus sees it before the first event: a rate alert such as
 * {@code succeeded / (succeeded + failed)} can fire in an outage only if {@code failed} exists.
 */
@Startup
@ApplicationScoped
public class PaymentMetrics {

    static final List<String> DENIAL_REASONS = List.of("banned", "rate_limited", "origin");
    static final List<String> CHECKOUT_OUTCOMES = List.of("success", "failure", "denied");

    private final MeterRegistry registry;

    @Inject
    public PaymentMetrics(MeterRegistry registry, CheckoutSettings settings) {
        this(registry, settings.currency());
    }

    /** For plain tests, without CDI. */
    PaymentMetrics(MeterRegistry registry, String currency) {
        this.registry = registry;
        registerAtZero(currency);
    }

    /** Revenue is registered in the configured currency; another category currency appears on first use. */
    private void registerAtZero(String currency) {
        for (PaymentPurpose purpose : PaymentPurpose.values()) {
            registry.counter("homepage_payments_intents_created", "type", purpose.value());
            registry.counter("homepage_payments_succeeded", "type", purpose.value());
            registry.counter("homepage_payments_failed", "type", purpose.value());
            registry.counter("homepage_payments_amount_mismatch", "type", purpose.value());
            registry.counter("homepage_payments_intent_creation_failures", "type", purpose.value());
            registry.counter("homepage_payments_revenue_cents", "type", purpose.value(), "currency", currency);
            CHECKOUT_OUTCOMES.forEach(outcome -> checkoutTimer(purpose, outcome));
        }
        DENIAL_REASONS.forEach(reason -> registry.counter("homepage_checkout_denied", "reason", reason));
    }

    public void intentCreated(PaymentPurpose purpose) {
        registry.counter("homepage_payments_intents_created", "type", purpose.value())
                .increment();
    }

    public void succeeded(PaymentPurpose purpose, long amount, String currency) {
        registry.counter("homepage_payments_succeeded", "type", purpose.value()).increment();
        registry.counter("homepage_payments_revenue_cents", "type", purpose.value(), "currency", currency)
                .increment(amount);
    }

    public void failed(PaymentPurpose purpose) {
        registry.counter("homepage_payments_failed", "type", purpose.value()).increment();
    }

    public void amountMismatch(PaymentPurpose purpose) {
        registry.counter("homepage_payments_amount_mismatch", "type", purpose.value())
                .increment();
    }

    /** {@code reason}: {@code banned}, {@code rate_limited} or {@code origin}. */
    /** Stripe did not give a usable PaymentIntent (unreachable, refused, or not the one asked for). */
    public void intentCreationFailed(PaymentPurpose purpose) {
        registry.counter("homepage_payments_intent_creation_failures", "type", purpose.value())
                .increment();
    }

    public void denied(String reason) {
        registry.counter("homepage_checkout_denied", "reason", reason).increment();
    }

    /** {@code outcome}: {@code success}, {@code failure} or {@code denied}. */
    public void checkoutDuration(PaymentPurpose purpose, String outcome, Duration duration) {
        checkoutTimer(purpose, outcome).record(duration);
    }

    private Timer checkoutTimer(PaymentPurpose purpose, String outcome) {
        return Timer.builder("homepage_checkout_duration")
                .tags("type", purpose.value(), "outcome", outcome)
                .publishPercentileHistogram()
                .register(registry);
    }
}
