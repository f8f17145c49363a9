package org.villagehomepage.payments.refund.review;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.refund.Actor;
import org.villagehomepage.payments.refund.payment.RefundPayment;
import org.villagehomepage.payments.refund.payment.RefundPaymentRepository;
import org.villagehomepage.payments.refund.request.RefundAudit;
import org.villagehomepage.payments.refund.request.RefundOrigin;
import org.villagehomepage.payments.refund.request.RefundRequest;
import org.villagehomepage.payments.refund.request.RefundRequestRepository;
import org.villagehomepage.payments.refund.request.RefundStatus;

/**
 * Every status change of a refund request, each in one transaction with its audit record. Lock
 * order is always the payment's ledger row, then the request: the ledger row serializes all that
 * can refund one payment, so a reservation can never be decided on a stale amount. What a step
 * changes is written at once on the transaction's connection, so a later read in the same
 * transaction sees it.
 */
@ApplicationScoped
public class RefundTransitions {

    private static final Logger LOG = Logger.getLogger(RefundTransitions.class);

    private final Pool pool;
    private final RefundPaymentRepository payments;
    private final RefundRequestRepository requests;
    private final RefundAudit audit;
    private final Clock clock;

    public RefundTransitions(
            Pool pool,
            RefundPaymentRepository payments,
            RefundRequestRepository requests,
            RefundAudit audit,
            Clock clock) {
        this.pool = pool;
        this.payments = payments;
        this.requests = requests;
        this.audit = audit;
        this.clock = clock;
    }

    /** pending -> approved, reserving the amount on the payment. */
    public Uni<RefundOrder> approve(UUID id, Actor reviewer, String note) {
        return pool.withTransaction(tx -> locked(tx, id).flatMap(locked -> {
            locked.request().status.requireTransition(RefundStatus.APPROVED);
            if (locked.request().status != RefundStatus.PENDING) {
                throw new ProblemException(
                        ProblemType.INVALID_TRANSITION, "Only a pending refund request can be approved");
            }
            return reserveAndApprove(tx, locked.request(), locked.payment(), reviewer, note);
        }));
    }

    /**
     * failed -> approved (the retry), with the new key attempt a definitive refusal gave it (see
     * {@link #failed}). An approved request (Stripe call unfinished or its outcome unknown) is driven
     * again as it is, with its own key. A request failed by an older version on an unknown outcome
     * kept its key and reservation: its retry reuses both.
     */
    public Uni<RefundOrder> retry(UUID id, Actor reviewer) {
        return pool.withTransaction(tx -> locked(tx, id).flatMap(locked -> {
            RefundRequest request = locked.request();
            if (request.status == RefundStatus.APPROVED) {
                return Uni.createFrom().item(RefundOrder.of(request, reviewer));
            }
            if (request.status != RefundStatus.FAILED) {
                throw new ProblemException(
                        ProblemType.INVALID_TRANSITION, "Only a failed refund request can be retried");
            }
            return reserveAndApprove(tx, request, locked.payment(), reviewer, "retry after failure");
        }));
    }

    /** pending -> rejected, with the reviewer's note. */
    public Uni<RefundRequest> reject(UUID id, Actor reviewer, String note) {
        return pool.withTransaction(tx -> locked(tx, id).flatMap(locked -> {
            RefundRequest request = locked.request();
            Instant now = clock.instant();
            request.moveTo(RefundStatus.REJECTED, now);
            request.reviewer = reviewer.id();
            request.decisionNote = note;
            request.decidedAt = now;
            return requests.update(tx, request)
                    .chain(() -> audit.record(tx, "refund.rejected", "success", request, reviewer, note))
                    .replaceWith(request);
        }));
    }

    /** Stripe answered the attempt {@code keyAttempt}; an answer to an older attempt than the request's changes nothing. */
    public Uni<Completion> processed(UUID id, String stripeRefundId, int keyAttempt, Actor actor) {
        return pool.withTransaction(tx -> locked(tx, id)
                .flatMap(locked -> locked.request().stripeKeyAttempt != keyAttempt
                        ? Uni.createFrom().item(new Completion(locked.request(), false))
                        : markProcessed(tx, locked.request(), locked.payment(), stripeRefundId, actor)));
    }

    /**
     * approved -> failed: Stripe refused the refund, so none exists. The reservation is released and
     * the key attempt moves on (the old key would replay the refusal). An unknown outcome never
     * comes here: the request stays approved for {@link StuckRefundRecovery}.
     */
    public Uni<Completion> failed(UUID id, int keyAttempt, String failure, Actor actor) {
        return pool.withTransaction(tx -> locked(tx, id).flatMap(locked -> {
            RefundRequest request = locked.request();
            if (request.status != RefundStatus.APPROVED || request.stripeKeyAttempt != keyAttempt) {
                return Uni.createFrom().item(new Completion(request, false));
            }
            Instant now = clock.instant();
            request.moveTo(RefundStatus.FAILED, now);
            request.failure = failure;
            request.stripeKeyAttempt++;
            Uni<Void> released = Uni.createFrom().voidItem();
            if (request.reserved) {
                locked.payment().release(request.amount, now);
                request.reserved = false;
                released = payments.update(tx, locked.payment());
            }
            return released.chain(() -> requests.update(tx, request))
                    .chain(() -> audit.record(tx, "refund.failed", "failure", request, actor, failure))
                    .replaceWith(new Completion(request, true));
        }));
    }

    /** Inside the caller's transaction, with the payment row locked: reserve, then approve. */
    public Uni<RefundOrder> reserveAndApprove(
            SqlConnection tx, RefundRequest request, RefundPayment payment, Actor reviewer, String note) {
        Instant now = clock.instant();
        request.status.requireTransition(RefundStatus.APPROVED);
        Uni<Void> reserved = Uni.createFrom().voidItem();
        if (!request.reserved) {
            if (!payment.fits(request.amount)) {
                throw new ProblemException(
                        ProblemType.REFUND_EXCEEDS_REMAINING,
                        "The amount exceeds what remains refundable on this payment");
            }
            payment.reserve(request.amount, now);
            request.reserved = true;
            reserved = payments.update(tx, payment);
        }
        request.moveTo(RefundStatus.APPROVED, now);
        request.reviewer = reviewer.id();
        request.decisionNote = note;
        request.decidedAt = now;
        request.failure = null;
        request.stripeAttempts++;
        // a new approval is due for recovery as soon as it is stuck
        request.recoveryDueAt = null;
        request.recoveryChecks = 0;
        return reserved.chain(() -> requests.update(tx, request))
                .chain(() -> audit.record(tx, "refund.approved", "success", request, reviewer, note))
                .replaceWith(RefundOrder.of(request, reviewer));
    }

    /**
     * Inside the caller's transaction, with the payment row locked: Stripe made the refund. Also
     * reached from Stripe's events, possibly before the Stripe call itself returned.
     */
    public Uni<Completion> markProcessed(
            SqlConnection tx, RefundRequest request, RefundPayment payment, String stripeRefundId, Actor actor) {
        Instant now = clock.instant();
        if (request.status == RefundStatus.PROCESSED) {
            return Uni.createFrom().item(new Completion(request, false));
        }
        Uni<Void> before = Uni.createFrom().voidItem();
        if (request.status == RefundStatus.FAILED) {
            // The refund exists at Stripe after all (an unknown outcome was a success): record it as such.
            if (!request.reserved) {
                if (payment.reserved + request.amount > payment.captured) {
                    // the ledger cannot hold more than was captured; someone must look at this payment
                    LOG.errorf(
                            "Refund %s of request %s overcommits payment %s: reserved %d + %d > captured %d; capped",
                            stripeRefundId,
                            request.id,
                            payment.paymentIntentId,
                            payment.reserved,
                            request.amount,
                            payment.captured);
                    before = audit.record(tx, "refund.failed", "failure", request, actor, "overcommitted");
                }
                payment.reserved = Math.min(payment.captured, payment.reserved + request.amount);
                request.reserved = true;
                before = before.call(() -> payments.update(tx, payment));
            }
            request.moveTo(RefundStatus.APPROVED, now);
            before = before.call(() -> audit.record(
                    tx, "refund.approved", "success", request, actor, "Stripe reports the refund was made"));
        } else if (request.status != RefundStatus.APPROVED) {
            LOG.warnf(
                    "Stripe refund %s names refund request %s, which is %s; left unchanged",
                    stripeRefundId, request.id, request.status.wire());
            return Uni.createFrom().item(new Completion(request, false));
        }
        return before.flatMap(ignored -> {
            request.moveTo(RefundStatus.PROCESSED, now);
            request.stripeRefundId = stripeRefundId;
            request.processedAt = now;
            request.failure = null;
            return requests.update(tx, request)
                    .chain(() -> audit.record(tx, "refund.processed", "success", request, actor, null))
                    .replaceWith(new Completion(request, true));
        });
    }

    /**
     * Inside the caller's transaction, with the payment row locked: Stripe says the refund failed or
     * was canceled (its current status, re-read). An approved or processed request becomes failed,
     * releases its reservation and gets a new key attempt, so an admin can retry.
     */
    public Uni<Completion> failedAtStripe(
            SqlConnection tx, RefundRequest request, RefundPayment payment, String stripeStatus, Actor actor) {
        if (request.status != RefundStatus.APPROVED && request.status != RefundStatus.PROCESSED) {
            return Uni.createFrom().item(new Completion(request, false));
        }
        Instant now = clock.instant();
        boolean paymentChanged = false;
        if (request.origin == RefundOrigin.STRIPE && request.status == RefundStatus.PROCESSED) {
            // a refund made outside the suite counted in refunded_externally when recorded; it gave nothing back
            payment.refundedExternally = Math.max(0, payment.refundedExternally - request.amount);
            payment.updatedAt = now;
            paymentChanged = true;
        }
        request.moveTo(RefundStatus.FAILED, now);
        request.failure = "refused by stripe: refund " + stripeStatus;
        request.processedAt = null;
        request.stripeKeyAttempt++;
        if (request.reserved) {
            payment.release(request.amount, now);
            request.reserved = false;
            paymentChanged = true;
        }
        Uni<Void> released =
                paymentChanged ? payments.update(tx, payment) : Uni.createFrom().voidItem();
        return released.chain(() -> requests.update(tx, request))
                .chain(() -> audit.record(tx, "refund.failed", "failure", request, actor, request.failure))
                .replaceWith(new Completion(request, true));
    }

    public Uni<RefundRequest> current(UUID id) {
        return requests.find(pool, id);
    }

    private Uni<Locked> locked(SqlConnection tx, UUID id) {
        return requests.paymentOf(tx, id)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("Refund request"))
                .flatMap(paymentIntentId -> payments.lock(tx, paymentIntentId))
                .flatMap(payment -> requests.lock(tx, id).map(request -> new Locked(request, payment)));
    }

    private record Locked(RefundRequest request, RefundPayment payment) {}
}
