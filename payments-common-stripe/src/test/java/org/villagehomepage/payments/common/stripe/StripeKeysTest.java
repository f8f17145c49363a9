package org.villagehomepage.payments.common.stripe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StripeKeysTest {

    @Test
    void secretKeyMustBeSecretOrRestricted() {
        assertThat(StripeKeys.checkSecretKey(Optional.of("sk_test_abcdef123"))).isEmpty();
        assertThat(StripeKeys.checkSecretKey(Optional.of("rk_live_abcdef123"))).isEmpty();
        assertThat(StripeKeys.checkSecretKey(Optional.of("pk_live_x"))).hasValueSatisfying(message -> {
            assertThat(message).contains("STRIPE_SECRET_KEY").doesNotContain("pk_live_x");
        });
        assertThat(StripeKeys.checkSecretKey(Optional.empty())).hasValue("STRIPE_SECRET_KEY is not set");
        assertThat(StripeKeys.checkSecretKey(Optional.of("sk_test_ has space"))).isPresent();
    }

    @Test
    void webhookSecretsMustAllBeWhsec() {
        assertThat(StripeKeys.checkWebhookSecrets(Optional.of(List.of("whsec_abcdef"))))
                .isEmpty();
        assertThat(StripeKeys.checkWebhookSecrets(Optional.of(List.of("whsec_new123", "whsec_old123"))))
                .isEmpty();
        assertThat(StripeKeys.checkWebhookSecrets(Optional.of(List.of("whsec_new123", "sk_test_oops"))))
                .hasValueSatisfying(message ->
                        assertThat(message).contains("STRIPE_WEBHOOK_SECRET").doesNotContain("oops"));
        assertThat(StripeKeys.checkWebhookSecrets(Optional.empty())).isPresent();
    }

    @Test
    void publishableKeyMustBePk() {
        assertThat(StripeKeys.checkPublishableKey(Optional.of("pk_test_abcdef123")))
                .isEmpty();
        assertThat(StripeKeys.checkPublishableKey(Optional.of("sk_test_abcdef123")))
                .hasValueSatisfying(message ->
                        assertThat(message).contains("STRIPE_PUBLISHABLE_KEY").doesNotContain("abcdef"));
        assertThat(StripeKeys.checkPublishableKey(Optional.empty())).hasValue("STRIPE_PUBLISHABLE_KEY is not set");
    }

    @Test
    void mixedModesAreRefusedEverywhere() {
        assertThat(StripeKeys.checkModes(
                        Optional.of("sk_live_abcdef123"), Optional.of("pk_test_abcdef123"), false, false))
                .hasValueSatisfying(
                        m -> assertThat(m).contains("different modes").doesNotContain("abcdef"));
        assertThat(StripeKeys.checkModes(
                        Optional.of("rk_test_abcdef123"), Optional.of("pk_live_abcdef123"), true, true))
                .hasValueSatisfying(m -> assertThat(m).contains("different modes"));
        assertThat(StripeKeys.checkModes(
                        Optional.of("sk_live_abcdef123"), Optional.of("pk_live_abcdef123"), false, true))
                .isEmpty();
    }

    @Test
    void productionWithTestKeysNeedsTestModeExplicitly() {
        assertThat(StripeKeys.checkModes(Optional.of("sk_test_abcdef123"), Optional.empty(), false, true))
                .hasValueSatisfying(
                        m -> assertThat(m).contains("STRIPE_TEST_MODE=true").doesNotContain("abcdef"));
        assertThat(StripeKeys.checkModes(
                        Optional.of("sk_test_abcdef123"), Optional.of("pk_test_abcdef123"), true, true))
                .isEmpty();
        // tests and dev runs (not production) may use test keys without the flag
        assertThat(StripeKeys.checkModes(Optional.of("sk_test_abcdef123"), Optional.empty(), false, false))
                .isEmpty();
        // test mode with live keys is a misconfiguration too
        assertThat(StripeKeys.checkModes(Optional.of("sk_live_abcdef123"), Optional.empty(), true, true))
                .hasValueSatisfying(m -> assertThat(m).contains("live keys"));
    }

    @Test
    void pinnedApiVersionMustBeTheClients() {
        assertThat(StripeKeys.checkApiVersion(Optional.empty(), "2026-07-29.dahlia"))
                .isEmpty();
        assertThat(StripeKeys.checkApiVersion(Optional.of("2026-07-29.dahlia"), "2026-07-29.dahlia"))
                .isEmpty();
        assertThat(StripeKeys.checkApiVersion(Optional.of("2025-01-27.acacia"), "2026-07-29.dahlia"))
                .hasValue(
                        "STRIPE_API_VERSION is 2025-01-27.acacia but the Stripe client is pinned to 2026-07-29.dahlia");
    }

    @Test
    void modesFromPrefixes() {
        assertThat(StripeKeys.mode(Optional.of("sk_test_x"))).hasValue(StripeKeys.Mode.TEST);
        assertThat(StripeKeys.mode(Optional.of("rk_live_x"))).hasValue(StripeKeys.Mode.LIVE);
        assertThat(StripeKeys.mode(Optional.of("pk_live_x"))).hasValue(StripeKeys.Mode.LIVE);
        assertThat(StripeKeys.mode(Optional.of("sk_local"))).isEmpty();
    }
}
