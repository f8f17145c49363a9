package org.villagehomepage.payments.refund.stripe;

import com.stripe.StripeClient;
import com.stripe.model.Refund;
import com.stripe.net.RequestOptions;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.RefundListParams;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.villagehomepage.payments.common.stripe.StripeCalls;
import org.villagehomepage.payments.refund.request.RefundReason;
import org.villagehomepage.payments.refund.review.RefundOrder;

/**
 * Refunds at Stripe. One request becomes at most one Stripe refund: its id (plus the key attempt
 * after a definitive refusal) is the idempotency key, and its id in the metadata finds an earlier one.
 */
@ApplicationScoped
public class StripeRefunds {

    public static final String REQUEST_ID_METADATA = "refund_request_id";
    /** Which attempt (idempotency key) of the request made the refund: tells its current refund from older ones. */
    public static final String KEY_ATTEMPT_METADATA = "refund_key_attempt";
    /** The request's reason: lets disaster recovery restore a lost request as it was. */
    public static final String REASON_METADATA = "refund_reason";

    private final StripeClient stripe;
    private final StripeCalls calls;

    public StripeRefunds(StripeClient stripe, StripeCalls calls) {
        this.stripe = stripe;
        this.calls = calls;
    }

    /** Creates the refund; lost responses and 5xx are retried by StripeCalls with the same key. */
    public Uni<Refund> create(RefundOrder order) {
        RefundCreateParams.Builder params = RefundCreateParams.builder()
                .setPaymentIntent(order.paymentIntentId())
                .setAmount(order.amount())
                .putMetadata(REQUEST_ID_METADATA, order.requestId().toString())
                .putMetadata(KEY_ATTEMPT_METADATA, Integer.toString(order.keyAttempt()))
                .putMetadata(REASON_METADATA, order.reason().wire());
        if (order.reason() == RefundReason.USER_REQUEST) {
            params.setReason(RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER);
        }
        RequestOptions options = RequestOptions.builder()
                .setIdempotencyKey(order.idempotencyKey())
                .build();
        return calls.call("create refund", () -> stripe.v1().refunds().create(params.build(), options));
    }

    /**
     * The refund an earlier attempt of this request made, if any. Checked before a retry, because
     * Stripe forgets idempotency keys after 24 hours.
     */
    public Uni<Refund> madeFor(RefundOrder order) {
        RefundListParams params = RefundListParams.builder()
                .setPaymentIntent(order.paymentIntentId())
                .setLimit(100L)
                .build();
        return calls.call(
                        "list refunds", () -> stripe.v1().refunds().list(params).getData())
                .map(refunds -> refunds.stream()
                        .filter(r -> r.getMetadata() != null
                                && order.requestId()
                                        .toString()
                                        .equals(r.getMetadata().get(REQUEST_ID_METADATA)))
                        // a failed or canceled refund returned nothing: the retry makes a new one
                        .filter(r -> RefundFact.of(r).settlement() != RefundFact.Settlement.FAILED)
                        .filter(r -> RefundFact.of(r).keyAttempt() == null
                                || RefundFact.of(r).keyAttempt() == order.keyAttempt())
                        .findFirst()
                        .orElse(null));
    }

    /** Stripe's current view of one refund (events may carry a stale snapshot). */
    public Uni<Refund> current(String refundId) {
        return calls.call("retrieve refund", () -> stripe.v1().refunds().retrieve(refundId));
    }

    /** Every refund of a charge (for charge.refunded events that do not embed them). */
    public Uni<List<Refund>> ofCharge(String chargeId) {
        RefundListParams params =
                RefundListParams.builder().setCharge(chargeId).setLimit(100L).build();
        return calls.call(
                "list refunds", () -> stripe.v1().refunds().list(params).getData());
    }
}
