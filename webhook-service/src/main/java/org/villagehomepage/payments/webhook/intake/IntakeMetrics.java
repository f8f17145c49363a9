package org.villagehomepage.payments.webhook.intake;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.villagehomepage.payments.webhook.event.EventRoutes;
import org.villagehomepage.payments.webhook.signature.SignatureFailure;

/** The intake's meters, named as in docs/metrics.md (Prometheus adds _total and _seconds). */
@ApplicationScoped
@Startup // its meters are exported from the start, before the first event
public class IntakeMetrics {

    private final MeterRegistry registry;
    private final Timer ackDuration;

    public IntakeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.ackDuration = Timer.builder("homepage_webhooks_ack_duration")
                .description("Intake latency, request to acknowledgement")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        for (SignatureFailure failure : SignatureFailure.values()) {
            registry.counter("homepage_webhooks_signature_failures", "reason", failure.reason());
        }
        // Series exist from the start, so rate() and absent-series alerts see zeros, not nothing.
        for (String type : EventRoutes.handledTypes()) {
            registry.counter("homepage_webhooks_received", "event_type", type);
            registry.counter("homepage_webhooks_duplicates", "event_type", type);
        }
        // The ignored types that arrive most when an endpoint subscribes to more than the routed
        // ones (every event of a payment): the ignored series exists before the first such event.
        for (String type : UNROUTED_PAYMENT_TYPES) {
            registry.counter("homepage_webhooks_ignored", "event_type", type);
        }
    }

    static final List<String> UNROUTED_PAYMENT_TYPES = List.of("charge.succeeded", "payment_intent.created");

    /** Event types come from verified events only, so the label set stays Stripe's (bounded). */
    void received(String eventType) {
        registry.counter("homepage_webhooks_received", "event_type", eventType).increment();
    }

    void duplicate(String eventType) {
        registry.counter("homepage_webhooks_duplicates", "event_type", eventType)
                .increment();
    }

    void ignored(String eventType) {
        registry.counter("homepage_webhooks_ignored", "event_type", eventType).increment();
    }

    void rejected(SignatureFailure failure) {
        registry.counter("homepage_webhooks_signature_failures", "reason", failure.reason())
                .increment();
    }

    void acknowledged(long startNanos) {
        ackDuration.record(Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
