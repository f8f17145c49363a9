package org.villagehomepage.payments.common.stripe;

import java.util.List;
import java.util.Optional;

/** Shape checks of Stripe keys; the messages name the variable, never its value. */
public final class StripeKeys {

    public static final String SECRET_KEY_VARIABLE = "STRIPE_SECRET_KEY";
    public static final String WEBHOOK_SECRET_VARIABLE = "STRIPE_WEBHOOK_SECRET";

    private StripeKeys() {
    }

    public static Optional<String> checkSecretKey(Optional<String> key) {
        if (key.isEmpty() || key.get().isBlank()) {
            return Optional.of(SECRET_KEY_VARIABLE + " is not set");
        }
        String value = key.get().trim();
        if (!(value.startsWith("sk_") || value.startsWith("rk_")) || value.length() < 8 || value.chars().anyMatch(Character::isWhitespace)) {
            return Optional.of(SECRET_KEY_VARIABLE + " is malformed: expected a secret (sk_...) or restricted (rk_...) key");
        }
        return Optional.empty();
    }

    public static Optional<String> checkWebhookSecrets(Optional<List<String>> secrets) {
        if (secrets.isEmpty() || secrets.get().stream().allMatch(String::isBlank)) {
            return Optional.of(WEBHOOK_SECRET_VARIABLE + " is not set");
        }
        for (String secret : secrets.get()) {
            String value = secret.trim();
            if (!value.startsWith("whsec_") || value.length() < 10) {
                return Optional.of(WEBHOOK_SECRET_VARIABLE + " is malformed: expected whsec_... (comma-separated while rotating)");
            }
        }
        return Optional.empty();
    }
}
