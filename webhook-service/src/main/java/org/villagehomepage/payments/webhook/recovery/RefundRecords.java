package org.villagehomepage.payments.webhook.recovery;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.villagehomepage.payments.webhook.WebhookSettings;
import org.villagehomepage.payments.webhook.client.RefundClient;
import org.villagehomepage.payments.webhook.client.ServiceAnswers;

/**
 * refund-service's records of Stripe refunds ({@link RefundClient}, service JWT): disaster recovery's
 * dry run, each call bounded by {@code webhook.recovery.checkout-timeout}.
 */
@ApplicationScoped
public class RefundRecords {

    private final RefundClient refund;
    private final Duration timeout;

    public RefundRecords(@RestClient RefundClient refund, WebhookSettings settings) {
        this.refund = refund;
        this.timeout = settings.recovery().checkoutTimeout();
    }

    /** Whether refund-service has a request recording this Stripe refund (404: it has not). */
    public Uni<Boolean> knows(String stripeRefundId) {
        return ServiceAnswers.orNotFound(
                        "refund-service",
                        timeout,
                        refund.byStripeRefund(stripeRefundId).replaceWith(Boolean.TRUE))
                .map(Optional::isPresent);
    }
}
