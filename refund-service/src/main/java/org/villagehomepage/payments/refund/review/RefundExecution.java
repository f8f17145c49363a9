package org.villagehomepage.payments.refund.review;

import com.stripe.exception.StripeException;
import com.stripe.model.Refund;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.stripe.StripeCalls;
import org.villagehomepage.payments.refund.RefundMetrics;
import org.villagehomepage.payments.refund.request.RefundRequest;
import org.villagehomepage.payments.refund.stripe.StripeRefunds;

/**
 * Takes an approved, reserved request to Stripe and records the outcome: processed, or failed.
 * No database lock is held during the Stripe call; the reservation already keeps the amount.
 */
@ApplicationScoped
public class RefundExecution {

    private static final Logger LOG = Logger.getLogger(RefundExecution.class);
    private static final Set<String> REFUND_FAILED = Set.of("failed", "canceled");

    private final StripeRefunds stripeRefunds;
    private final RefundTransitions transitions;
    private final RefundMetrics metrics;

    public RefundExecution(StripeRefunds stripeRefunds, RefundTransitions transitions, RefundMetrics metrics) {
        this.stripeRefunds = stripeRefunds;
        this.transitions = transitions;
        this.metrics = metrics;
    }

    /**
     * @param lookFirst whether an earlier attempt may have made the refund: then Stripe's refunds
     *                  of the payment are searched for this request's id before creating one
     */
    public Uni<RefundRequest> drive(RefundOrder order, boolean lookFirst) {
        Uni<Refund> atStripe = lookFirst
                ? stripeRefunds.madeFor(order).flatMap(found -> found != null ? Uni.createFrom().item(found) : stripeRefunds.create(order))
                : stripeRefunds.create(order);
        return atStripe
                .onItemOrFailure().transformToUni((refund, error) -> {
                    if (error != null) {
                        return failed(order, error);
                    }
                    if (REFUND_FAILED.contains(refund.getStatus())) {
                        return failed(order, "refused by stripe: refund " + refund.getStatus(), true);
                    }
                    return transitions.processed(order.requestId(), refund.getId(), order.actor())
                            .invoke(done -> {
                                if (done.changed()) {
                                    metrics.processed(order.reason());
                                    LOG.infof("Processed refund: request=%s, refund=%s, amount=%d %s", order.requestId(),
                                            refund.getId(), order.amount(), order.currency());
                                }
                            });
                })
                .map(Completion::request);
    }

    private Uni<Completion> failed(RefundOrder order, Throwable error) {
        boolean definitive = error instanceof StripeException && !StripeCalls.retryable(error);
        String failure = definitive
                ? "refused by stripe" + (((StripeException) error).getCode() != null ? ": " + ((StripeException) error).getCode() : "")
                : "stripe outcome unknown";
        LOG.warnf("Refund request %s failed at Stripe (%s): %s", order.requestId(), failure, StripeCalls.describe(error));
        return failed(order, failure, definitive);
    }

    private Uni<Completion> failed(RefundOrder order, String failure, boolean definitive) {
        return transitions.failed(order.requestId(), failure, definitive, order.actor())
                .invoke(done -> {
                    if (done.changed()) {
                        metrics.failed(order.reason());
                    }
                });
    }
}
