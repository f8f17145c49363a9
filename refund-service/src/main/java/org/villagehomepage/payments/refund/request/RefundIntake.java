package org.villagehomepage.payments.refund.request;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.refund.Actor;
import org.villagehomepage.payments.refund.RefundSettings;
import org.villagehomepage.payments.refund.payment.PaymentFacts;
import org.villagehomepage.payments.refund.payment.RefundPayment;
import org.villagehomepage.payments.refund.payment.RefundPaymentRepository;
import org.villagehomepage.payments.refund.review.RefundOrder;
import org.villagehomepage.payments.refund.review.RefundTransitions;

/** New refund requests, each stored with its audit record under the payment's ledger lock. */
@ApplicationScoped
public class RefundIntake {

    static final String AUTOMATIC_NOTE = "automatic refund within the window after payment";

    private final Pool pool;
    private final RefundPaymentRepository payments;
    private final RefundRequestRepository requests;
    private final RefundTransitions transitions;
    private final RefundAudit audit;
    private final RefundSettings settings;
    private final Clock clock;

    public RefundIntake(
            Pool pool,
            RefundPaymentRepository payments,
            RefundRequestRepository requests,
            RefundTransitions transitions,
            RefundAudit audit,
            RefundSettings settings,
            Clock clock) {
        this.pool = pool;
        this.payments = payments;
        this.requests = requests;
        this.transitions = transitions;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    /** What became of a request: {@code created} false for a replay; an order when it goes to Stripe now. */
    public record Intake(RefundRequest request, boolean created, RefundOrder order) {}

    /** A user's request for their own payment: always pending, for review. */
    public Uni<RefundRequest> forUser(UUID userId, UserRefundCommand command, PaymentFacts facts) {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> payments.lockOrCreate(tx, facts, now).flatMap(payment -> {
            if (!payment.ownedBy(userId)) {
                throw ProblemException.notFound("Payment");
            }
            return requests.hasOpenUserRequest(tx, payment.paymentIntentId, userId)
                    .flatMap(open -> {
                        if (open) {
                            throw new ProblemException(
                                    ProblemType.REFUND_ALREADY_REQUESTED,
                                    "A refund request for this payment is already open");
                        }
                        long amount = command.amount() != null ? command.amount() : payment.refundable();
                        if (!payment.fits(amount)) {
                            throw new ProblemException(
                                    ProblemType.REFUND_EXCEEDS_REMAINING,
                                    "The amount exceeds what remains refundable on this payment");
                        }
                        RefundRequest request = newRequest(
                                UUID.randomUUID(),
                                payment,
                                amount,
                                RefundReason.USER_REQUEST,
                                RefundOrigin.USER,
                                userId.toString(),
                                command.note(),
                                now);
                        request.userId = userId;
                        return requests.insert(tx, request)
                                .chain(() -> audit.record(
                                        tx,
                                        "refund.requested",
                                        "success",
                                        request,
                                        new Actor("user", userId.toString()),
                                        command.note()))
                                .replaceWith(request);
                    });
        }));
    }

    /**
     * A request from another service. Within the automatic window of the payment it is approved
     * and reserved at once (the caller then takes it to Stripe); later it waits for review.
     */
    public Uni<Intake> automatic(AutomaticRefundCommand command, PaymentFacts facts, Actor sender) {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> payments.lockOrCreate(tx, facts, now)
                .flatMap(payment -> requests.find(tx, command.id()).flatMap(existing -> {
                    if (existing != null) {
                        return Uni.createFrom().item(new Intake(existing, false, null));
                    }
                    if (payment.userId != null && !payment.userId.equals(command.userId())
                            || !payment.currency.equals(command.currency())) {
                        throw new ProblemException(
                                ProblemType.PAYMENT_MISMATCH,
                                "The user or currency does not match the payment at Stripe");
                    }
                    RefundRequest request = newRequest(
                            command.id(),
                            payment,
                            command.amount(),
                            command.refundReason(),
                            RefundOrigin.SERVICE,
                            sender.id(),
                            null,
                            now);
                    request.userId = command.userId();
                    if (command.listingId() != null) {
                        request.listingId = command.listingId();
                    }
                    return requests.insert(tx, request)
                            .chain(() -> audit.record(
                                    tx, "refund.requested", "success", request, sender, request.reason.wire()))
                            .chain(() -> approveWithinWindow(tx, request, payment, now));
                })));
    }

    /** Within the automatic window, and if it fits, the new request is reserved and approved at once. */
    private Uni<Intake> approveWithinWindow(
            SqlConnection tx, RefundRequest request, RefundPayment payment, Instant now) {
        return withinWindow(payment.paidAt, settings.automaticWindow(), now) && payment.fits(request.amount)
                ? transitions
                        .reserveAndApprove(tx, request, payment, Actor.SYSTEM, AUTOMATIC_NOTE)
                        .map(order -> new Intake(request, true, order))
                : Uni.createFrom().item(new Intake(request, true, null));
    }

    /** Inclusive: a request exactly at the end of the window is still automatic. */
    public static boolean withinWindow(Instant paidAt, Duration window, Instant now) {
        return !now.isAfter(paidAt.plus(window));
    }

    private static RefundRequest newRequest(
            UUID id,
            RefundPayment payment,
            long amount,
            RefundReason reason,
            RefundOrigin origin,
            String requestedBy,
            String note,
            Instant now) {
        RefundRequest request = new RefundRequest();
        request.id = id;
        request.paymentIntentId = payment.paymentIntentId;
        request.listingId = payment.listingId;
        request.userId = payment.userId;
        request.amount = amount;
        request.currency = payment.currency;
        request.reason = reason;
        request.origin = origin;
        request.status = RefundStatus.PENDING;
        request.requestedBy = requestedBy;
        request.requestNote = note;
        request.createdAt = now;
        request.updatedAt = now;
        return request;
    }
}
