package org.villagehomepage.payments.webhook.recovery;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.villagehomepage.payments.common.contract.PaymentOverview;
import org.villagehomepage.payments.common.contract.RestoredPayment;
import org.villagehomepage.payments.webhook.WebhookSettings;
import org.villagehomepage.payments.webhook.client.CheckoutClient;
import org.villagehomepage.payments.webhook.client.ServiceAnswers;

/**
 * checkout-service's view of payments for recovery and the payment doctor ({@link CheckoutClient},
 * service JWT), each call bounded by {@code webhook.recovery.checkout-timeout}.
 */
@ApplicationScoped
public class CheckoutPayments {

    private static final String SERVICE = "checkout";

    private final CheckoutClient checkout;
    private final Duration timeout;

    public CheckoutPayments(@RestClient CheckoutClient checkout, WebhookSettings settings) {
        this.checkout = checkout;
        this.timeout = settings.recovery().checkoutTimeout();
    }

    /** The payment as checkout knows it, or empty when checkout has no payment for the intent (404). */
    public Uni<Optional<PaymentOverview>> byIntent(String paymentIntentId) {
        return ServiceAnswers.orNotFound(SERVICE, timeout, checkout.byIntent(paymentIntentId));
    }

    /** The payments of a listing or a user, for the payment doctor. */
    public Uni<List<PaymentOverview>> bySubject(UUID id) {
        return ServiceAnswers.of(SERVICE, timeout, checkout.bySubject(id));
    }

    /**
     * Disaster recovery's rebuild ({@code POST /internal/payments/restore}): checkout re-creates what it
     * lacks of this {@code payment_intent.succeeded} event's payment and applies it; answers what it did.
     */
    public Uni<RestoredPayment> restore(String eventJson) {
        return ServiceAnswers.of(SERVICE, timeout, checkout.restore(eventJson));
    }
}
