package org.villagehomepage.payments.refund.stripe;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.villagehomepage.payments.common.outbox.InboxGuard;
import org.villagehomepage.payments.common.outbox.MessageKey;
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

    private final Pool pool;
    private final RefundPaymentRepository payments;
    private final RefundRequestRepository requests;
    private final RefundTransitions transitions;
    private final RefundAudit audit;
    private final InboxGuard inbox;
    private final StripeRefunds stripeRefunds;
    private final Clock clock;

    public RefundReconciler(
            Pool pool,
            RefundPaymentRepository payments,
            RefundRequestRepository requests,
            RefundTransitions transitions,
            RefundAudit audit,
            InboxGuard inbox,
            StripeRefunds stripeRefunds,
            Clock clock) {
        this.pool = pool;
        this.stripeRefunds = stripeRefunds;
        this.payments = payments;
        this.requests = requests;
        this.transitions = transitions;
        this.audit = audit;
        this.inbox = inbox;
        this.clock = clock;
    }

    /** Answers the requests this changed (processed or failed; for the metrics, after commit). */
    public Uni<List<RefundRequest>> reconcile(MessageKey messageId, PaymentFacts facts, List<RefundFact> snapshots) {
        return pool.withTransaction(tx -> inbox.firstDelivery(tx, messageId)
                .flatMap(first -> !first
                        ? Uni.createFrom().item(List.<RefundRequest>of())
                        : payments.lockOrCreate(tx, facts, clock.instant())
                                .flatMap(payment -> Multi.createFrom()
                                        .iterable(snapshots)
                                        // read under the lock: whatever committed before us is already in Stripe's
                                        // answer
                                        .onItem()
                                        .transformToUniAndConcatenate(snapshot -> stripeRefunds
                                                .current(snapshot.id())
                                                .map(RefundFact::of)
                                                .flatMap(refund -> reconcileOne(tx, payment, refund)))
                                        .filter(Completion::changed)
                                        .map(Completion::request)
                                        .collect()
                                        .asList())));
    }

    private Uni<Completion> reconcileOne(SqlConnection tx, RefundPayment payment, RefundFact refund) {
        Uni<RefundRequest> known = refund.requestId() != null
                ? requests.lock(tx, refund.requestId())
                        .flatMap(r ->
                                r != null ? Uni.createFrom().item(r) : requests.findByStripeRefundId(tx, refund.id()))
                : requests.findByStripeRefundId(tx, refund.id());
        return known.flatMap(request ->
                request != null && refund.requestId() != null && !request.follows(refund.id(), refund.keyAttempt())
                        ? unchanged(request)
                        : switch (refund.settlement()) {
                            case SUCCEEDED ->
                                request == null
                                        ? (refund.requestId() != null
                                                ? restoreOwn(tx, payment, refund)
                                                : recordExternal(tx, payment, refund))
                                        : transitions.markProcessed(tx, request, payment, refund.id(), Actor.STRIPE);
                            case FAILED ->
                                request == null
                                        ? unchanged(null)
                                        : transitions.failedAtStripe(
                                                tx, request, payment, refund.status(), Actor.STRIPE);
                            // pending / requires_action can still fail: a later refund.updated settles it
                            case IN_FLIGHT -> unchanged(request);
                        });
    }

    /** A refund made at Stripe (Dashboard) that the suite did not start: recorded as processed, once. */
    private Uni<Completion> recordExternal(SqlConnection tx, RefundPayment payment, RefundFact refund) {
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
        return requests.insert(tx, request)
                .chain(() -> payments.update(tx, payment))
                .chain(() ->
                        audit.record(tx, "refund.recorded", "success", request, Actor.STRIPE, "made outside the suite"))
                .replaceWith(new Completion(request, true));
    }

    /**
     * A refund the suite made (its request id is in the metadata) whose request a restored database
     * lacks (disaster recovery): the request comes back under its own id and reason, processed, and
     * its amount counts as reserved again, as it did before the loss.
     */
    private Uni<Completion> restoreOwn(SqlConnection tx, RefundPayment payment, RefundFact refund) {
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
        return requests.insert(tx, request)
                .chain(() -> payments.update(tx, payment))
                .chain(() ->
                        audit.record(tx, "refund.restored", "success", request, Actor.STRIPE, "restored from Stripe"))
                .replaceWith(new Completion(request, true));
    }

    private static Uni<Completion> unchanged(RefundRequest request) {
        return Uni.createFrom().item(new Completion(request, false));
    }
}
