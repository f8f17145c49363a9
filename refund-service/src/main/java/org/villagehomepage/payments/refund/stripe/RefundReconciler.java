package org.villagehomepage.payments.refund.stripe;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.villagehomepage.payments.common.outbox.MessageKey;
import org.villagehomepage.payments.common.panache.InboxGuard;
import org.villagehomepage.payments.refund.Actor;
import org.villagehomepage.payments.refund.payment.PaymentFacts;
import org.villagehomepage.payments.refund.payment.RefundPayment;
import org.villagehomepage.payments.refund.payment.RefundPaymentRepository;
import org.villagehomepage.payments.refund.request.RefundAudit;
import org.villagehomepage.payments.refund.request.RefundOrigin;
import org.villagehomepage.payments.refund.request.RefundReason;
import org.villagehomepage.payments.refund.request.RefundRequest;
import org.villagehomepage.payments.refund.request.RefundRequestRepository;
import org.villagehomepage.payments.refund.request.RefundStatus;
import org.villagehomepage.payments.refund.review.Completion;
import org.villagehomepage.payments.refund.review.RefundTransitions;

/**
 * Brings refund records in line with Stripe's refunds of one payment (charge.refunded,
 * refund.created, refund.updated), under the payment's ledger lock. Each refund is re-read from
 * Stripe after that lock is taken, never decided on an event's snapshot or on a read made before
 * the lock: two events about one refund that went succeeded -> failed then commit in the order of
 * their reads, so the later (failed) one wins. A refund the suite made is matched by the request id
 * in its metadata; any other is recorded as made outside the suite.
 */
@ApplicationScoped
public class RefundReconciler {

    private final RefundPaymentRepository payments;
    private final RefundRequestRepository requests;
    private final RefundTransitions transitions;
    private final RefundAudit audit;
    private final InboxGuard inbox;
    private final StripeRefunds stripeRefunds;
    private final Clock clock;

    public RefundReconciler(
            RefundPaymentRepository payments,
            RefundRequestRepository requests,
            RefundTransitions transitions,
            RefundAudit audit,
            InboxGuard inbox,
            StripeRefunds stripeRefunds,
            Clock clock) {
        this.stripeRefunds = stripeRefunds;
        this.payments = payments;
        this.requests = requests;
        this.transitions = transitions;
        this.audit = audit;
        this.inbox = inbox;
        this.clock = clock;
    }

    /** Answers the requests this changed (processed or failed; for the metrics, after commit). */
    @WithTransaction
    public Uni<List<RefundRequest>> reconcile(MessageKey messageId, PaymentFacts facts, List<RefundFact> snapshots) {
        return inbox.firstDelivery(messageId)
                .flatMap(first -> !first
                        ? Uni.createFrom().item(List.<RefundRequest>of())
                        : payments.lockOrCreate(facts, clock.instant())
                                .flatMap(payment -> Multi.createFrom()
                                        .iterable(snapshots)
                                        // read under the lock: whatever committed before us is already in Stripe's
                                        // answer
                                        .onItem()
                                        .transformToUniAndConcatenate(snapshot -> stripeRefunds
                                                .current(snapshot.id())
                                                .map(RefundFact::of)
                                                .flatMap(refund -> reconcileOne(payment, refund)))
                                        .filter(Completion::changed)
                                        .map(Completion::request)
                                        .collect()
                                        .asList()));
    }

    private Uni<Completion> reconcileOne(RefundPayment payment, RefundFact refund) {
        Uni<RefundRequest> known = refund.requestId() != null
                ? requests.lock(refund.requestId())
                        .flatMap(r -> r != null ? Uni.createFrom().item(r) : requests.findByStripeRefundId(refund.id()))
                : requests.findByStripeRefundId(refund.id());
        return known.flatMap(request ->
                request != null && refund.requestId() != null && !request.follows(refund.id(), refund.keyAttempt())
                        ? unchanged(request)
                        : switch (refund.settlement()) {
                            case SUCCEEDED ->
                                request == null
                                        ? (refund.requestId() != null
                                                ? restoreOwn(payment, refund)
                                                : recordExternal(payment, refund))
                                        : transitions.markProcessed(request, payment, refund.id(), Actor.STRIPE);
                            case FAILED ->
                                request == null
                                        ? unchanged(null)
                                        : transitions.failedAtStripe(request, payment, refund.status(), Actor.STRIPE);
                            // pending / requires_action can still fail: a later refund.updated settles it
                            case IN_FLIGHT -> unchanged(request);
                        });
    }

    /** A refund made at Stripe (Dashboard) that the suite did not start: recorded as processed, once. */
    private Uni<Completion> recordExternal(RefundPayment payment, RefundFact refund) {
        Instant now = clock.instant();
        RefundRequest request = new RefundRequest();
        request.id = UUID.randomUUID();
        request.paymentIntentId = payment.paymentIntentId;
        request.listingId = payment.listingId;
        request.userId = payment.userId;
        request.amount = refund.amount();
        request.currency = refund.currency();
        request.reason = RefundReason.USER_REQUEST;
        request.origin = RefundOrigin.STRIPE;
        request.status = RefundStatus.PROCESSED;
        request.stripeRefundId = refund.id();
        request.requestedBy = "stripe";
        request.requestNote = "refund made at Stripe outside the suite";
        request.createdAt = now;
        request.updatedAt = now;
        request.processedAt = now;
        payment.refundedExternally += refund.amount();
        payment.updatedAt = now;
        return request.<RefundRequest>persist()
                .call(r -> audit.record("refund.recorded", "success", r, Actor.STRIPE, "made outside the suite"))
                .map(r -> new Completion(r, true));
    }

    /**
     * A refund the suite made (its request id is in the metadata) whose request a restored database
     * lacks (disaster recovery): the request comes back under its own id and reason, processed, and
     * its amount counts as reserved again, as it did before the loss.
     */
    private Uni<Completion> restoreOwn(RefundPayment payment, RefundFact refund) {
        Instant now = clock.instant();
        RefundReason reason = RefundReason.parse(refund.reason()).orElse(RefundReason.USER_REQUEST);
        RefundRequest request = new RefundRequest();
        request.id = refund.requestId();
        request.paymentIntentId = payment.paymentIntentId;
        request.listingId = payment.listingId;
        request.userId = payment.userId;
        request.amount = refund.amount();
        request.currency = refund.currency();
        request.reason = reason;
        request.origin = reason == RefundReason.USER_REQUEST
                ? RefundOrigin.USER
                : reason == RefundReason.CHARGEBACK ? RefundOrigin.STRIPE : RefundOrigin.SERVICE;
        request.status = RefundStatus.PROCESSED;
        request.stripeRefundId = refund.id();
        if (refund.keyAttempt() != null) {
            request.stripeKeyAttempt = refund.keyAttempt();
        }
        request.requestedBy = "restored";
        request.requestNote = "restored from Stripe after a data loss";
        request.createdAt = now;
        request.updatedAt = now;
        request.decidedAt = now;
        request.processedAt = now;
        // capped like markProcessed: the ledger never holds more than was captured
        request.reserved = true;
        payment.reserved = Math.min(payment.captured, payment.reserved + refund.amount());
        payment.updatedAt = now;
        return request.<RefundRequest>persist()
                .call(r -> audit.record("refund.restored", "success", r, Actor.STRIPE, "restored from Stripe"))
                .map(r -> new Completion(r, true));
    }

    private static Uni<Completion> unchanged(RefundRequest request) {
        return Uni.createFrom().item(new Completion(request, false));
    }
}
