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
        assertThat(StripeKeys.checkWebhookSecrets(Optional.of(List.of("whsec_abcdef")))).isEmpty();
        assertThat(StripeKeys.checkWebhookSecrets(Optional.of(List.of("whsec_new123", "whsec_old123")))).isEmpty();
        assertThat(StripeKeys.checkWebhookSecrets(Optional.of(List.of("whsec_new123", "sk_test_oops")))).hasValueSatisfying(
                message -> assertThat(message).contains("STRIPE_WEBHOOK_SECRET").doesNotContain("oops"));
        assertThat(StripeKeys.checkWebhookSecrets(Optional.empty())).isPresent();
    }
}
