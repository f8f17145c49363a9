package org.villagehomepage.payments.refund.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Charge;
import com.stripe.model.PaymentIntent;
import com.stripe.param.PaymentIntentRetrieveParams;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.common.stripe.StripeCalls;
import org.villagehomepage.payments.refund.payment.PaymentFacts;

/**
 * Learns a payment from Stripe: the PaymentIntent with its latest charge expanded. refund-service
 * owns no payments; Stripe is the authority on who paid, how much was captured and when.
 */
@ApplicationScoped
public class StripePayments {

    private final StripeClient stripe;
    private final StripeCalls calls;

    public StripePayments(StripeClient stripe, StripeCalls calls) {
        this.stripe = stripe;
        this.calls = calls;
    }

    /** The payment's facts, or null when Stripe has no such PaymentIntent. */
    public Uni<PaymentFacts> retrieve(String paymentIntentId) {
        PaymentIntentRetrieveParams params =
                PaymentIntentRetrieveParams.builder().addExpand("latest_charge").build();
        return calls.call("retrieve payment intent", () -> {
            try {
                return facts(stripe.v1().paymentIntents().retrieve(paymentIntentId, params));
            } catch (InvalidRequestException e) {
                if (Integer.valueOf(404).equals(e.getStatusCode())) {
                    return null;
                }
                throw e;
            }
        });
    }

    static PaymentFacts facts(PaymentIntent intent) {
        Charge charge = intent.getLatestChargeObject();
        Map<String, String> metadata = intent.getMetadata() == null ? Map.of() : intent.getMetadata();
        boolean paid =
                charge != null && Boolean.TRUE.equals(charge.getPaid()) && "succeeded".equals(intent.getStatus());
        long captured = charge == null || charge.getAmountCaptured() == null ? 0 : charge.getAmountCaptured();
        Instant paidAt =
                charge == null || charge.getCreated() == null ? null : Instant.ofEpochSecond(charge.getCreated());
        return new PaymentFacts(
                intent.getId(),
                charge == null ? null : charge.getId(),
                uuid(metadata.get("user_id")),
                uuid(metadata.get("listing_id")),
                uuid(metadata.get("payment_id")),
                metadata.get("payment_type"),
                captured,
                intent.getCurrency(),
                paidAt,
                paid);
    }

    static UUID uuid(String value) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
