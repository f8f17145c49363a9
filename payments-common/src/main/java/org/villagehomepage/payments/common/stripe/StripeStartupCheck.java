package org.villagehomepage.payments.common.stripe;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Fails start-up with one clear line when a Stripe key this service needs is missing or malformed. */
@ApplicationScoped
public class StripeStartupCheck {

    private static final Logger LOG = Logger.getLogger(StripeStartupCheck.class);

    void onStart(@Observes StartupEvent event, StripeSettings settings) {
        List<String> problems = problems(settings);
        if (!problems.isEmpty()) {
            LOG.errorf("Refusing to start: %s", String.join("; ", problems));
            Quarkus.asyncExit(1);
        }
    }

    static List<String> problems(StripeSettings settings) {
        List<String> problems = new ArrayList<>();
        if (settings.required().contains("secret-key")) {
            StripeKeys.checkSecretKey(settings.secretKey()).ifPresent(problems::add);
        }
        if (settings.required().contains("webhook-secret")) {
            StripeKeys.checkWebhookSecrets(settings.webhookSecret()).ifPresent(problems::add);
        }
        settings.apiBase().filter(base -> !(base.startsWith("http://") || base.startsWith("https://")))
                .ifPresent(base -> problems.add("STRIPE_API_BASE is malformed: expected an http(s) URL"));
        return problems;
    }

    static Optional<String> first(StripeSettings settings) {
        return problems(settings).stream().findFirst();
    }
}
