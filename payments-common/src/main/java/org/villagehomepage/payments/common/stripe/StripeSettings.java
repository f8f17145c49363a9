package org.villagehomepage.payments.common.stripe;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Stripe access, from STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and STRIPE_API_BASE. */
@ConfigMapping(prefix = "stripe")
public interface StripeSettings {

    Optional<String> secretKey();

    /** One secret, or several separated by commas while a secret is being rolled. */
    Optional<List<String>> webhookSecret();

    /** Unset means real Stripe; the stripe-emulator's base URL locally and in tests. */
    Optional<String> apiBase();

    /** Which keys this service cannot start without: {@code secret-key}, {@code webhook-secret}, or {@code none}. */
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
