package org.villagehomepage.payments.refund.request;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.refund.Actor;
import org.villagehomepage.payments.refund.RefundMetrics;
import org.villagehomepage.payments.refund.payment.PaymentDirectory;
import org.villagehomepage.payments.refund.payment.PaymentFacts;
import org.villagehomepage.payments.refund.review.RefundExecution;
import org.villagehomepage.payments.refund.review.RefundOrder;

/** Where refund requests enter: a user's own request, or an automatic one from another service. */
@ApplicationScoped
public class RefundRequests {

    private final Pool pool;
    private final PaymentDirectory directory;
    private final RefundIntake intake;
    private final RefundExecution execution;
    private final RefundRequestRepository requests;
    private final RefundMetrics metrics;

    public RefundRequests(
            Pool pool,
            PaymentDirectory directory,
            RefundIntake intake,
            RefundExecution execution,
            RefundRequestRepository requests,
            RefundMetrics metrics) {
        this.pool = pool;
        this.directory = directory;
        this.intake = intake;
        this.execution = execution;
        this.requests = requests;
        this.metrics = metrics;
    }

    public Uni<RefundRequest> requestByUser(UUID userId, UserRefundCommand command) {
        return directory
                .find(command.paymentIntentId())
                .map(facts -> ownedAndPaid(facts, userId))
                .flatMap(facts -> intake.forUser(userId, command, facts))
                .invoke(request -> metrics.requested(request.reason));
    }

    /** The owner's view of one request; another user's request is "not found", as a missing one. */
    public Uni<RefundRequest> ownRequest(UUID userId, UUID id) {
        return requests.find(pool, id).map(request -> {
            if (request == null || !userId.equals(request.userId)) {
                throw ProblemException.notFound("Refund request");
            }
            return request;
        });
    }

    /**
     * Answers once the request is committed; an approved one goes to Stripe in the background (the
     * sender's relay times out after 5 s, Stripe under faults can take longer).
     */
    public Uni<RefundRequest> requestAutomatic(AutomaticRefundCommand command, Actor sender) {
        return requests.find(pool, command.id()).flatMap(existing -> {
            if (existing != null) {
                return replay(existing);
            }
            return directory
                    .find(command.paymentIntentId())
                    .map(facts -> {
                        if (facts == null) {
                            throw new ProblemException(ProblemType.PAYMENT_NOT_FOUND, "Stripe has no such payment");
                        }
                        if (!facts.succeeded()) {
                            throw new ProblemException(
                                    ProblemType.PAYMENT_NOT_REFUNDABLE, "The payment has not succeeded");
                        }
                        return facts;
                    })
                    .flatMap(facts -> intake.automatic(command, facts, sender))
                    .flatMap(result -> {
                        if (!result.created()) {
                            return replay(result.request());
                        }
                        metrics.requested(result.request().reason);
                        if (result.order() != null) {
                            execution.driveInBackground(result.order(), false);
                        }
                        return Uni.createFrom().item(result.request());
                    });
        });
    }

    /** A redelivered request: one still approved may have lost its Stripe call, so it is driven again (same key). */
    private Uni<RefundRequest> replay(RefundRequest existing) {
        if (existing.status == RefundStatus.APPROVED) {
            execution.driveInBackground(RefundOrder.of(existing, Actor.SYSTEM), true);
        }
        return Uni.createFrom().item(existing);
    }

    private static PaymentFacts ownedAndPaid(PaymentFacts facts, UUID userId) {
        if (facts == null || !userId.equals(facts.userId())) {
            throw ProblemException.notFound("Payment");
        }
        if (!facts.succeeded()) {
            throw new ProblemException(ProblemType.PAYMENT_NOT_REFUNDABLE, "The payment has not succeeded");
        }
        return facts;
    }
}
