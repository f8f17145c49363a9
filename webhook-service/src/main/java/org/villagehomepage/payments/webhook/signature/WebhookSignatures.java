package org.villagehomepage.payments.webhook.signature;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.villagehomepage.payments.common.stripe.StripeSettings;
import org.villagehomepage.payments.webhook.WebhookSettings;

/** The verifier with this service's secrets ({@code STRIPE_WEBHOOK_SECRET}, comma-separated) and clock. */
@ApplicationScoped
public class WebhookSignatures {

    private final SignatureVerifier verifier;
    private final Clock clock;

    public WebhookSignatures(StripeSettings stripe, WebhookSettings settings, Clock clock) {
        this.verifier = new SignatureVerifier(
                stripe.webhookSecret().orElse(List.of()),
                settings.signatureTolerance().toSeconds());
        this.clock = clock;
    }

    public Optional<SignatureFailure> verify(String payload, String header) {
        return verifier.verify(payload, header, clock.instant().getEpochSecond());
    }
}
