package org.villagehomepage.payments.refund.review;

import com.stripe.exception.StripeException;
import com.stripe.model.Refund;
import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.eventbus.EventBus;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.common.stripe.StripeCalls;
import org.villagehomepage.payments.refund.RefundMetrics;
import org.villagehomepage.payments.refund.request.RefundRequest;
import org.villagehomepage.payments.refund.stripe.RefundFact;
import org.villagehomepage.payments.refund.stripe.StripeRefunds;

/**
 * Takes an approved, reserved request to Stripe and records the outcome: processed, or failed when
 * Stripe refused it. An unknown outcome (no answer after StripeCalls' retries: the refund may exist)
 * changes nothing: the request stays approved, so {@link StuckRefundRecovery} drives it again with
 * the same idempotency key after looking for it at Stripe. No database lock is held during the
 * Stripe call; the reservation already keeps the amount.
 */
@ApplicationScoped
public class RefundExecution {

    private static final Logger LOG = Logger.getLogger(RefundExecution.class);

    private final StripeRefunds stripeRefunds;
    private final RefundTransitions transitions;
    private final RefundMetrics metrics;

    private static final String DRIVE = "refund-execution.drive";

    private final EventBus bus;

    public RefundExecution(
            StripeRefunds stripeRefunds, RefundTransitions transitions, RefundMetrics metrics, EventBus bus) {
        this.bus = bus;
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
                ? stripeRefunds
                        .madeFor(order)
                        .flatMap(found -> found != null ? Uni.createFrom().item(found) : stripeRefunds.create(order))
                : stripeRefunds.create(order);
        return atStripe.onItemOrFailure()
                .transformToUni((refund, error) -> {
                    if (error != null) {
                        return failed(order, error);
                    }
                    RefundFact.Settlement settlement = RefundFact.settlement(refund.getStatus());
                    if (settlement == RefundFact.Settlement.FAILED) {
                        return failed(order, "refused by stripe: refund " + refund.getStatus());
                    }
                    if (settlement == RefundFact.Settlement.IN_FLIGHT) {
                        // pending is not final: the request stays approved until refund.updated (or recovery) settles
                        // it
                        LOG.infof(
                                "Refund %s of request %s is %s at Stripe; waiting",
                                refund.getId(), order.requestId(), refund.getStatus());
                        return transitions.current(order.requestId()).map(r -> new Completion(r, false));
                    }
                    return transitions
                            .processed(order.requestId(), refund.getId(), order.keyAttempt(), order.actor())
                            .invoke(done -> {
                                if (done.changed()) {
                                    metrics.processed(order.reason());
                                    LOG.infof(
                                            "Processed refund: request=%s, refund=%s, amount=%d %s",
                                            order.requestId(), refund.getId(), order.amount(), order.currency());
                                }
                            });
                })
                .map(Completion::request);
    }

    /**
     * Drives the order in the background, on a fresh Vert.x context, so the caller can answer at
     * once: a sender with a short timeout never waits on Stripe's faults. A crash before the outcome
     * leaves the request approved for {@link StuckRefundRecovery}.
     */
    public void driveInBackground(RefundOrder order, boolean lookFirst) {
        // An event-bus message runs detached from the caller's request, on its own duplicated context.
        bus.send(DRIVE, new Drive(order, lookFirst));
    }

    /** A background drive; its outcome is recorded by drive itself, a failure only logged (recovery retries). */
    @ConsumeEvent(DRIVE)
    Uni<Void> onDrive(Drive request) {
        return drive(request.order(), request.lookFirst())
                .onFailure()
                .invoke(error -> LOG.warnf(
                        "Refund request %s not driven to Stripe yet (%s); the recovery job retries",
                        request.order().requestId(), FailureKind.of(error)))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    /** The event-bus message of a background drive (local delivery only). */
    record Drive(RefundOrder order, boolean lookFirst) {}

    private Uni<Completion> failed(RefundOrder order, Throwable error) {
        if (!(error instanceof StripeException stripe) || StripeCalls.retryable(error)) {
            // Timeouts, lost responses, 5xx, 429, an open circuit: Stripe may have made the refund.
            // Failing the request would leave the customer to an admin's retry; it stays approved
            // (reserved, same key attempt) and the recovery job finishes it.
            LOG.warnf(
                    "Refund request %s: Stripe outcome unknown (%s); stays approved, the recovery job drives it again",
                    order.requestId(), StripeCalls.describe(error));
            metrics.outcomeUnknown(order.reason());
            return transitions.current(order.requestId()).map(r -> new Completion(r, false));
        }
        String failure = "refused by stripe" + (stripe.getCode() != null ? ": " + stripe.getCode() : "");
        LOG.warnf(
                "Refund request %s failed at Stripe (%s): %s", order.requestId(), failure, StripeCalls.describe(error));
        return failed(order, failure);
    }

    private Uni<Completion> failed(RefundOrder order, String failure) {
        return transitions
                .failed(order.requestId(), order.keyAttempt(), failure, order.actor())
                .invoke(done -> {
                    if (done.changed()) {
                        metrics.failed(order.reason());
                    }
                });
    }
}
