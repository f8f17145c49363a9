package org.villagehomepage.payments.checkout.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** A fresh registry holds every checkout series at zero before anything happened. */
class PaymentMetricsTest {

    @Test
    void everySeriesExistsAtZeroFromConstruction() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new PaymentMetrics(registry, "usd");
        for (PaymentPurpose purpose : PaymentPurpose.values()) {
            String type = purpose.value();
            for (String name : new String[] {
                "homepage_payments_intents_created",
                "homepage_payments_succeeded",
                "homepage_payments_failed",
                "homepage_payments_amount_mismatch",
                "homepage_payments_intent_creation_failures"
            }) {
                assertThat(registry.find(name).tag("type", type).counter())
                        .as(name + " " + type)
                        .isNotNull()
                        .extracting(c -> c.count())
                        .isEqualTo(0.0);
            }
            assertThat(registry.find("homepage_payments_revenue_cents")
                            .tags("type", type, "currency", "usd")
                            .counter())
                    .isNotNull();
            for (String outcome : PaymentMetrics.CHECKOUT_OUTCOMES) {
                assertThat(registry.find("homepage_checkout_duration")
                                .tags("type", type, "outcome", outcome)
                                .timer())
                        .isNotNull();
            }
        }
        for (String reason : PaymentMetrics.DENIAL_REASONS) {
            assertThat(registry.find("homepage_checkout_denied")
                            .tag("reason", reason)
                            .counter())
                    .as(reason)
                    .isNotNull();
        }
        assertThat(registry.getMeters()).hasSize(3 * 5 + 3 + 3 * 3 + 3);
    }
}
