package org.villagehomepage.payments.refund.chargeback;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.outbox.MessageKey;
import org.villagehomepage.payments.common.outbox.SqlOutbox;
import org.villagehomepage.payments.common.panache.AuditTrail;
import org.villagehomepage.payments.common.panache.InboxGuard;
import org.villagehomepage.payments.refund.Actor;
import org.villagehomepage.payments.refund.ban.UserBans;
import org.villagehomepage.payments.refund.payment.PaymentFacts;
import org.villagehomepage.payments.refund.payment.RefundPayment;
import org.villagehomepage.payments.refund.payment.RefundPaymentRepository;
import org.villagehomepage.payments.refund.request.RefundAudit;
import org.villagehomepage.payments.refund.request.RefundOrigin;
import org.villagehomepage.payments.refund.request.RefundReason;
import org.villagehomepage.payments.refund.request.RefundRequest;
import org.villagehomepage.payments.refund.request.RefundStatus;

/**
 * Records disputes. A dispute is counted once, by its id, from whichever of its events arrives
 * first (created or closed, in any order, any number of times); that first sight also records a
 * processed refund with reason chargeback, takes the disputed amount off what can still be
 * refunded, and counts the chargeback against the user (which may ban them).
 */
@ApplicationScoped
public class ChargebackRecorder {

    private final RefundPaymentRepository payments;
    private final InboxGuard inbox;
    private final RefundAudit refundAudit;
    private final AuditTrail audit;
    private final UserBans bans;
    private final Clock clock;

    public ChargebackRecorder(
            RefundPaymentRepository payments,
            InboxGuard inbox,
            RefundAudit refundAudit,
            AuditTrail audit,
            UserBans bans,
            Clock clock) {
        this.payments = payments;
        this.inbox = inbox;
        this.refundAudit = refundAudit;
        this.audit = audit;
        this.bans = bans;
        this.clock = clock;
    }

    /** A redelivered message changes nothing; otherwise the dispute is recorded or closed under the payment's lock. */
    @WithTransaction
    public Uni<ChargebackOutcome> apply(
            MessageKey messageId, PaymentFacts facts, DisputeFact dispute, boolean closing) {
        return inbox.firstDelivery(messageId)
                .flatMap(first -> first
                        ? onLockedPayment(facts, dispute, closing)
                        : Uni.createFrom().item(ChargebackOutcome.NOTHING));
    }

    private Uni<ChargebackOutcome> onLockedPayment(PaymentFacts facts, DisputeFact dispute, boolean closing) {
        return payments.lockOrCreate(facts, clock.instant())
                .flatMap(payment -> Chargeback.<Chargeback>findById(dispute.id())
                        .flatMap(known -> known == null
                                ? record(payment, dispute, closing)
                                : seenBefore(known, dispute, closing)));
    }

    /** A dispute already counted: only its closing event still changes something. */
    private Uni<ChargebackOutcome> seenBefore(Chargeback known, DisputeFact dispute, boolean closing) {
        return closing ? close(known, dispute) : Uni.createFrom().item(ChargebackOutcome.NOTHING);
    }

    /** First sight of a dispute: a processed chargeback refund, the chargeback row, their audits, the user's count. */
    private Uni<ChargebackOutcome> record(RefundPayment payment, DisputeFact dispute, boolean closing) {
        Instant now = clock.instant();
        RefundRequest refund = chargebackRefund(payment, dispute, now);
        Chargeback chargeback = chargeback(payment, dispute, refund, closing, now);
        payment.disputed += dispute.amount();
        payment.updatedAt = now;
        return refund.persist()
                .call(() -> chargeback.persist())
                .call(() -> auditRecorded(refund, chargeback, dispute, closing))
                .flatMap(ignored -> countAgainstUser(payment, dispute))
                .map(banned -> new ChargebackOutcome(true, closing, banned));
    }

    private Uni<Void> auditRecorded(RefundRequest refund, Chargeback chargeback, DisputeFact dispute, boolean closing) {
        return refundAudit
                .record("refund.processed", "success", refund, Actor.STRIPE, "chargeback " + dispute.id())
                .call(() -> auditChargeback("chargeback.recorded", chargeback))
                .call(() -> closing
                        ? auditChargeback("chargeback.closed", chargeback)
                        : Uni.createFrom().voidItem());
    }

    /** True when this chargeback banned the user; an unknown user cannot be counted. */
    private Uni<Boolean> countAgainstUser(RefundPayment payment, DisputeFact dispute) {
        return payment.userId == null
                ? Uni.createFrom().item(false)
                : bans.countChargeback(payment.userId, dispute.id());
    }

    private static Chargeback chargeback(
            RefundPayment payment, DisputeFact dispute, RefundRequest refund, boolean closing, Instant now) {
        Chargeback chargeback = new Chargeback();
        chargeback.disputeId = dispute.id();
        chargeback.chargeId = dispute.chargeId();
        chargeback.paymentIntentId = dispute.paymentIntentId();
        chargeback.userId = payment.userId;
        chargeback.amount = dispute.amount();
        chargeback.currency = dispute.currency();
        chargeback.status = dispute.status();
        chargeback.reason = dispute.reason();
        chargeback.refundRequestId = refund.id;
        chargeback.createdAt = now;
        chargeback.closedAt = closing ? now : null;
        return chargeback;
    }

    private Uni<ChargebackOutcome> close(Chargeback chargeback, DisputeFact dispute) {
        if (chargeback.closed()) {
            return Uni.createFrom().item(ChargebackOutcome.NOTHING);
        }
        chargeback.status = dispute.status();
        chargeback.closedAt = clock.instant();
        return auditChargeback("chargeback.closed", chargeback).replaceWith(new ChargebackOutcome(false, true, false));
    }

    private static RefundRequest chargebackRefund(RefundPayment payment, DisputeFact dispute, Instant now) {
        RefundRequest refund = new RefundRequest();
        refund.id = SqlOutbox.idFor("chargeback:" + dispute.id());
        refund.paymentIntentId = payment.paymentIntentId;
        refund.listingId = payment.listingId;
        refund.userId = payment.userId;
        refund.amount = dispute.amount();
        refund.currency = dispute.currency();
        refund.reason = RefundReason.CHARGEBACK;
        refund.origin = RefundOrigin.STRIPE;
        refund.status = RefundStatus.PROCESSED;
        refund.requestedBy = "stripe";
        refund.requestNote =
                "dispute " + dispute.id() + (dispute.reason() != null ? " (" + dispute.reason() + ")" : "");
        refund.createdAt = now;
        refund.updatedAt = now;
        refund.processedAt = now;
        return refund;
    }

    private Uni<Void> auditChargeback(String action, Chargeback chargeback) {
        return audit.record(AuditEvent.builder(action, "success")
                .actor(Actor.STRIPE.type(), Actor.STRIPE.id())
                .paymentIntent(chargeback.paymentIntentId)
                .refund(chargeback.refundRequestId)
                .amount(chargeback.amount, chargeback.currency)
                .details(Map.of(
                        "disputeId",
                        chargeback.disputeId,
                        "status",
                        chargeback.status,
                        "reason",
                        String.valueOf(chargeback.reason),
                        "userId",
                        chargeback.userId == null ? "unknown" : chargeback.userId.toString())));
    }
}
