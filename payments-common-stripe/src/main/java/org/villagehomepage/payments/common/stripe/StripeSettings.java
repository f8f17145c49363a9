package org.villagehomepage.payments.common.stripe;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Stripe access, from STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET,
 * STRIPE_TEST_MODE, STRIPE_API_VERSION and STRIPE_API_BASE.
 */
@ConfigMapping(prefix = "stripe")
public interface StripeSettings {

    Optional<String> secretKey();

    /** The key the frontend gives Stripe.js (pk_...); checkout-service serves it with the checkout answer. */
    Optional<String> publishableKey();

    /**
     * A production start with test keys (sk_test_/pk_test_) is refused unless this is set
     * explicitly (staging, the local suite); with it, live keys are refused.
     */
    @WithDefault("false")
    boolean testMode();

    /**
     * The Stripe API version the deployment is pinned to (deploy checklist). stripe-java sends its
     * own pinned version ({@code Stripe.API_VERSION}); a different value here refuses the start, so
     * a library upgrade that moves the version is a deliberate change of this setting.
     */
    Optional<String> apiVersion();

    /** One secret, or several separated by commas while a secret is being rolled. */
    Optional<List<String>> webhookSecret();

    /** Unset means real Stripe; the stripe-emulator's base URL locally and in tests. */
    Optional<String> apiBase();

    /**
     * Which keys this service cannot start without: {@code secret-key}, {@code publishable-key},
     * {@code webhook-secret}, or {@code none}.
     */
    @WithDefault("secret-key")
    List<String> required();

    @WithDefault("10s")
    Duration timeout();

    /** Attempts per Stripe call for 5xx, 429, timeouts and lost responses (same idempotency key). */
    @WithDefault("4")
    int maxAttempts();

    @WithDefault("200ms")
    Duration retryBackoff();
}
