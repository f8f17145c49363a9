package org.villagehomepage.payments.checkout.stripe;

import com.stripe.model.PaymentIntent;
import java.util.Map;

/** What checkout needs of a PaymentIntent. The client secret is handed to the owner and nowhere else. */
public record IntentSnapshot(
        String id, String clientSecret, long amount, String currency, String status, Map<String, String> metadata) {

    /** Stripe's final status of an intent that can never be paid. */
    public static final String CANCELED = "canceled";

    static IntentSnapshot of(PaymentIntent intent) {
        return new IntentSnapshot(
                intent.getId(),
                intent.getClientSecret(),
                intent.getAmount() == null ? -1 : intent.getAmount(),
                intent.getCurrency(),
                intent.getStatus(),
                intent.getMetadata() == null ? Map.of() : intent.getMetadata());
    }

    /** Never print the client secret. */
    @Override
    public String toString() {
        return "IntentSnapshot[id=" + id + ", amount=" + amount + ", currency=" + currency + ", status=" + status + "]";
    }
}
