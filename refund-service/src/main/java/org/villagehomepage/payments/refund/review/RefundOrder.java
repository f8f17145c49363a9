package org.villagehomepage.payments.refund.review;

import java.util.UUID;
import org.villagehomepage.payments.refund.Actor;
import org.villagehomepage.payments.refund.request.RefundReason;
import org.villagehomepage.payments.refund.request.RefundRequest;

/** An approved, reserved request on its way to Stripe. */
public record RefundOrder(
        UUID requestId,
        String paymentIntentId,
        long amount,
        String currency,
        RefundReason reason,
        Actor actor,
        String idempotencyKey,
        int keyAttempt) {

    public static RefundOrder of(RefundRequest request, Actor actor) {
        return new RefundOrder(
                request.id,
                request.paymentIntentId,
                request.amount,
                request.currency,
                request.reason,
                actor,
                request.idempotencyKey(),
                request.stripeKeyAttempt);
    }
}
