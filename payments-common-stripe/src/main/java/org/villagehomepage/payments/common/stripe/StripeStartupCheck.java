package org.villagehomepage.payments.common.stripe;

import com.stripe.Stripe;
import io.quarkus.runtime.LaunchMode;
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
        List<String> problems = problems(settings, LaunchMode.current() == LaunchMode.NORMAL);
        if (!problems.isEmpty()) {
            LOG.errorf("Refusing to start: %s", String.join("; ", problems));
            Quarkus.asyncExit(1);
        }
    }

    static List<String> problems(StripeSettings settings) {
        return problems(settings, false);
    }

    /** @param production the prod profile (LaunchMode NORMAL): test keys need STRIPE_TEST_MODE=true */
    static List<String> problems(StripeSettings settings, boolean production) {
        List<String> problems = new ArrayList<>();
        if (settings.required().contains("secret-key")) {
            StripeKeys.checkSecretKey(settings.secretKey()).ifPresent(problems::add);
        }
        if (settings.required().contains("publishable-key")
                || settings.publishableKey().isPresent()) {
            StripeKeys.checkPublishableKey(settings.publishableKey()).ifPresent(problems::add);
        }
        if (settings.required().contains("webhook-secret")) {
            StripeKeys.checkWebhookSecrets(settings.webhookSecret()).ifPresent(problems::add);
        }
        if (problems.isEmpty()) {
            StripeKeys.checkModes(settings.secretKey(), settings.publishableKey(), settings.testMode(), production)
                    .ifPresent(problems::add);
        }
        StripeKeys.checkApiVersion(settings.apiVersion(), Stripe.API_VERSION).ifPresent(problems::add);
        settings.apiBase()
                .filter(base -> !(base.startsWith("http://") || base.startsWith("https://")))
                .ifPresent(base -> problems.add("STRIPE_API_BASE is malformed: expected an http(s) URL"));
        return problems;
    }

    static Optional<String> first(StripeSettings settings) {
        return problems(settings).stream().findFirst();
    }
}
