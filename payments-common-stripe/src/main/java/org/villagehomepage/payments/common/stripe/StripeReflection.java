package org.villagehomepage.payments.common.stripe;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * stripe-java reads its responses with Gson through reflection; a native image needs these model
 * classes (and their nested classes) registered.
 */
@RegisterForReflection(
        targets = {
            com.stripe.model.PaymentIntent.class,
            com.stripe.model.PaymentIntentCollection.class,
            com.stripe.model.Charge.class,
            com.stripe.model.ChargeCollection.class,
            com.stripe.model.Refund.class,
            com.stripe.model.RefundCollection.class,
            com.stripe.model.Dispute.class,
            com.stripe.model.DisputeCollection.class,
            com.stripe.model.Event.class,
            com.stripe.model.EventCollection.class,
            com.stripe.model.EventDataObjectDeserializer.class,
            com.stripe.model.StripeError.class,
            com.stripe.model.StripeObject.class,
            com.stripe.model.PaymentMethod.class,
            com.stripe.model.BalanceTransaction.class,
            com.stripe.model.Customer.class,
            com.stripe.model.MetadataStore.class,
            com.stripe.model.HasId.class,
            com.stripe.net.StripeResponse.class
        })
public final class StripeReflection {
    private StripeReflection() {}
}
