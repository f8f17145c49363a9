package org.villagehomepage.payments.checkout.payment;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.UUID;
import org.villagehomepage.payments.checkout.stripe.IntentSnapshot;

/**
 * What the frontend needs to confirm the payment with Stripe.js: the intent's client secret and
 * the publishable key of the same Stripe account and mode (STRIPE_PUBLISHABLE_KEY). Only ever sent
 * to the listing's owner; never logged or audited. Amount 0 with no intent: the category became
 * free and the listing went live without payment.
 */
public record CheckoutAnswer(
        String paymentIntentId,
        String clientSecret,
        long amount,
        String currency,
        String publishableKey,
        @JsonIgnore UUID paymentId) {

    static CheckoutAnswer of(Payment payment, IntentSnapshot intent) {
        return new CheckoutAnswer(
                intent.id(), intent.clientSecret(), payment.amount, payment.currency, null, payment.id);
    }

    static CheckoutAnswer free(String currency) {
        return new CheckoutAnswer(null, null, 0, currency, null, null);
    }

    CheckoutAnswer withPublishableKey(String key) {
        return paymentIntentId == null
                ? this
                : new CheckoutAnswer(paymentIntentId, clientSecret, amount, currency, key, paymentId);
    }

    @Override
    public String toString() {
        return "CheckoutAnswer[paymentIntentId=" + paymentIntentId + ", amount=" + amount + ", currency=" + currency
                + "]";
    }
}
