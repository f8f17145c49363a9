package org.villagehomepage.payments.checkout.stripe;

import com.stripe.StripeClient;
import com.stripe.net.RequestOptions;
import com.stripe.param.PaymentIntentCreateParams;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.payment.Payment;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.stripe.StripeCalls;

/**
 * Creates or fetches the PaymentIntent of a payment. Creation always carries the payment's id as
 * idempotency key: concurrent checkouts, our retries after 5xx or lost responses, and later clicks
 * all end at the same intent.
 */
@ApplicationScoped
public class PaymentIntentGateway {

    private static final Logger LOG = Logger.getLogger(PaymentIntentGateway.class);

    private final StripeClient stripe;
    private final StripeCalls calls;

    public PaymentIntentGateway(StripeClient stripe, StripeCalls calls) {
        this.stripe = stripe;
        this.calls = calls;
    }

    /** The payment's intent; StripeCalls hands the result back on the request's context. */
    public Uni<IntentSnapshot> intentFor(Payment payment) {
        Uni<IntentSnapshot> intent = payment.paymentIntentId != null
                // Stripe forgets idempotency keys after 24 h: a known intent is fetched, never re-created.
                ? calls.call(
                                "retrieve payment intent",
                                () -> stripe.v1().paymentIntents().retrieve(payment.paymentIntentId))
                        .map(IntentSnapshot::of)
                : calls.call(
                                "create payment intent",
                                () -> stripe.v1()
                                        .paymentIntents()
                                        .create(
                                                params(payment),
                                                RequestOptions.builder()
                                                        .setIdempotencyKey(payment.stripeIdempotencyKey())
                                                        .build()))
                        .map(IntentSnapshot::of);
        return intent.onFailure(e -> !(e instanceof ProblemException))
                .transform(e -> {
                    LOG.errorf("Stripe unavailable for payment %s: %s", payment.id, StripeCalls.describe(e));
                    return new ProblemException(
                            ProblemType.PAYMENT_PROVIDER_UNAVAILABLE,
                            "The payment provider is not answering; please try again");
                })
                .invoke(snapshot -> verify(payment, snapshot));
    }

    static Map<String, String> metadata(Payment payment) {
        return Map.of(
                "listing_id",
                payment.listingId.toString(),
                "user_id",
                payment.userId.toString(),
                "category_id",
                payment.categoryId.toString(),
                "payment_type",
                payment.purpose.value(),
                "payment_id",
                payment.id.toString());
    }

    private static PaymentIntentCreateParams params(Payment payment) {
        return PaymentIntentCreateParams.builder()
                .setAmount(payment.amount)
                .setCurrency(payment.currency)
                .setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods.builder()
                        .setEnabled(true)
                        .build())
                .putAllMetadata(metadata(payment))
                .build();
    }

    /** The intent must be the one this payment asked for; anything else is never handed out. */
    private static void verify(Payment payment, IntentSnapshot intent) {
        boolean same = intent.amount() == payment.amount
                && payment.currency.equals(intent.currency())
                && payment.id.toString().equals(intent.metadata().get("payment_id"));
        if (!same) {
            LOG.errorf(
                    "PaymentIntent %s does not match payment %s (amount %d %s, expected %d %s)",
                    intent.id(), payment.id, intent.amount(), intent.currency(), payment.amount, payment.currency);
            throw new ProblemException(
                    ProblemType.PAYMENT_PROVIDER_MISMATCH, "The payment could not be prepared; please try again");
        }
    }
}
