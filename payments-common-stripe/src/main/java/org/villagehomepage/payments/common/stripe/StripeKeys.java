package org.villagehomepage.payments.common.stripe;

import java.util.List;
import java.util.Optional;

/** Shape checks of Stripe keys; the messages name the variable, never its value. */
public final class StripeKeys {

    public static final String SECRET_KEY_VARIABLE = "STRIPE_SECRET_KEY";
    public static final String WEBHOOK_SECRET_VARIABLE = "STRIPE_WEBHOOK_SECRET";
    public static final String PUBLISHABLE_KEY_VARIABLE = "STRIPE_PUBLISHABLE_KEY";
    public static final String TEST_MODE_VARIABLE = "STRIPE_TEST_MODE";
    public static final String API_VERSION_VARIABLE = "STRIPE_API_VERSION";

    /** A key's mode from its prefix: test or live; empty for a malformed or absent key. */
    public enum Mode {
        TEST,
        LIVE
    }

    public static Optional<Mode> mode(Optional<String> key) {
        String value = key.map(String::trim).orElse("");
        int first = value.indexOf('_');
        if (first < 0) {
            return Optional.empty();
        }
        String rest = value.substring(first + 1);
        return rest.startsWith("test_")
                ? Optional.of(Mode.TEST)
                : rest.startsWith("live_") ? Optional.of(Mode.LIVE) : Optional.empty();
    }

    public static Optional<String> checkPublishableKey(Optional<String> key) {
        if (key.isEmpty() || key.get().isBlank()) {
            return Optional.of(PUBLISHABLE_KEY_VARIABLE + " is not set");
        }
        String value = key.get().trim();
        if (!value.startsWith("pk_") || value.length() < 8 || value.chars().anyMatch(Character::isWhitespace)) {
            return Optional.of(PUBLISHABLE_KEY_VARIABLE + " is malformed: expected a publishable key (pk_...)");
        }
        return Optional.empty();
    }

    /**
     * The keys' modes against each other and against STRIPE_TEST_MODE. {@code production}: a test
     * key needs test mode set explicitly.
     */
    public static Optional<String> checkModes(
            Optional<String> secretKey, Optional<String> publishableKey, boolean testMode, boolean production) {
        Optional<Mode> secret = mode(secretKey);
        Optional<Mode> publishable = mode(publishableKey);
        if (secret.isPresent() && publishable.isPresent() && secret.get() != publishable.get()) {
            return Optional.of(PUBLISHABLE_KEY_VARIABLE + " and " + SECRET_KEY_VARIABLE
                    + " are of different modes (test and live)");
        }
        Optional<Mode> any = secret.isPresent() ? secret : publishable;
        if (any.isEmpty()) {
            return Optional.empty();
        }
        if (testMode && any.get() == Mode.LIVE) {
            return Optional.of(TEST_MODE_VARIABLE + " is true but the Stripe keys are live keys");
        }
        if (production && !testMode && any.get() == Mode.TEST) {
            return Optional.of(SECRET_KEY_VARIABLE + " is a test-mode key; set " + TEST_MODE_VARIABLE
                    + "=true to run with test keys (staging, local)");
        }
        return Optional.empty();
    }

    /** The pinned version must be the one the client sends. */
    public static Optional<String> checkApiVersion(Optional<String> pinned, String clientVersion) {
        return pinned.filter(v -> !v.isBlank() && !v.trim().equals(clientVersion))
                .map(v -> API_VERSION_VARIABLE + " is " + v.trim() + " but the Stripe client is pinned to "
                        + clientVersion);
    }

    private StripeKeys() {}

    public static Optional<String> checkSecretKey(Optional<String> key) {
        if (key.isEmpty() || key.get().isBlank()) {
            return Optional.of(SECRET_KEY_VARIABLE + " is not set");
        }
        String value = key.get().trim();
        if (!(value.startsWith("sk_") || value.startsWith("rk_"))
                || value.length() < 8
                || value.chars().anyMatch(Character::isWhitespace)) {
            return Optional.of(
                    SECRET_KEY_VARIABLE + " is malformed: expected a secret (sk_...) or restricted (rk_...) key");
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
                return Optional.of(
                        WEBHOOK_SECRET_VARIABLE + " is malformed: expected whsec_... (comma-separated while rotating)");
            }
        }
        return Optional.empty();
    }
}
