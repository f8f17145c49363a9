package org.villagehomepage.payments.refund.chargeback;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.outbox.InboxGuard;
import org.villagehomepage.payments.common.outbox.MessageKey;
import org.villagehomepage.payments.common.outbox.SqlOutbox;
import org.villagehomepage.payments.refund.Actor;
import org.villagehomepage.payments.refund.SqlTime;
import org.villagehomepage.payments.refund.ban.UserBans;
import org.villagehomepage.payments.refund.payment.PaymentFacts;
import org.villagehomepage.payments.refund.payment.RefundPayment;
import org.villagehomepage.payments.refund.payment.RefundPaymentRepository;
import org.villagehomepage.payments.refund.request.RefundAudit;
import org.villagehomepage.payments.refund.request.RefundOrigin;
import org.villagehomepage.payments.refund.request.RefundReason;
import org.villagehomepage.payments.refund.request.RefundRequest;
import org.villagehomepage.payments.refund.request.RefundRequestRepository;
import org.villagehomepage.payments.refund.request.RefundStatus;

/**
 * Records disputes. A dispute is counted once, by its id, from whichever of its events arrives
 * first (created or closed, in any order, any number of times); that first sight also records a
 * processed refund with reason chargeback, takes the disputed amount off what can still be
 * refunded, and counts the chargeback against the user (which may ban them).
 */
@ApplicationScoped
public class ChargebackRecorder {

    private static final String FIND = """
            SELECT dispute_id, charge_id, payment_intent_id, user_id, amount, currency, status, reason, refund_request_id,
                created_at, closed_at
            FROM chargeback WHERE dispute_id = $1""";
    private static final String INSERT = """
            INSERT INTO chargeback (dispute_id, charge_id, payment_intent_id, user_id, amount, currency, status, reason,
                refund_request_id, created_at, closed_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""";
    // Only the closing event changes a recorded dispute.
    private static final String CLOSE = "UPDATE chargeback SET status = $2, closed_at = $3 WHERE dispute_id = $1";

    private final Pool pool;
    private final RefundPaymentRepository payments;
    private final RefundRequestRepository requests;
    private final InboxGuard inbox;
    private final RefundAudit refundAudit;
    private final AuditTrail audit;
    private final UserBans bans;
    private final Clock clock;

    public ChargebackRecorder(
            Pool pool,
            RefundPaymentRepository payments,
            RefundRequestRepository requests,
            InboxGuard inbox,
            RefundAudit refundAudit,
            AuditTrail audit,
            UserBans bans,
            Clock clock) {
        this.pool = pool;
        this.payments = payments;
        this.requests = requests;
        this.inbox = inbox;
        this.refundAudit = refundAudit;
        this.audit = audit;
        this.bans = bans;
        this.clock = clock;
    }

    /** A redelivered message changes nothing; otherwise the dispute is recorded or closed under the payment's lock. */
    public Uni<ChargebackOutcome> apply(
            MessageKey messageId, PaymentFacts facts, DisputeFact dispute, boolean closing) {
        return pool.withTransaction(tx -> inbox.firstDelivery(tx, messageId)
                .flatMap(first -> first
                        ? onLockedPayment(tx, facts, dispute, closing)
                        : Uni.createFrom().item(ChargebackOutcome.NOTHING)));
    }

    private Uni<ChargebackOutcome> onLockedPayment(
            SqlConnection tx, PaymentFacts facts, DisputeFact dispute, boolean closing) {
        return payments.lockOrCreate(tx, facts, clock.instant())
                .flatMap(payment -> tx.preparedQuery(FIND)
                        .execute(Tuple.of(dispute.id()))
                        .map(ChargebackRecorder::found)
                        .flatMap(known -> known == null
                                ? record(tx, payment, dispute, closing)
                                : seenBefore(tx, known, dispute, closing)));
    }

    /** A dispute already counted: only its closing event still changes something. */
    private Uni<ChargebackOutcome> seenBefore(
            SqlConnection tx, Chargeback known, DisputeFact dispute, boolean closing) {
        return closing ? close(tx, known, dispute) : Uni.createFrom().item(ChargebackOutcome.NOTHING);
    }

    /** First sight of a dispute: a processed chargeback refund, the chargeback row, their audits, the user's count. */
    private Uni<ChargebackOutcome> record(
            SqlConnection tx, RefundPayment payment, DisputeFact dispute, boolean closing) {
        Instant now = clock.instant();
        RefundRequest refund = chargebackRefund(payment, dispute, now);
        Chargeback chargeback = chargeback(payment, dispute, refund, closing, now);
        payment.disputed += dispute.amount();
        payment.updatedAt = now;
        return requests.insert(tx, refund)
                .chain(() -> insert(tx, chargeback))
                .chain(() -> payments.update(tx, payment))
                .chain(() -> auditRecorded(tx, refund, chargeback, dispute, closing))
                .chain(() -> countAgainstUser(tx, payment, dispute))
                .map(banned -> new ChargebackOutcome(true, closing, banned));
    }

    private Uni<Void> auditRecorded(
            SqlConnection tx, RefundRequest refund, Chargeback chargeback, DisputeFact dispute, boolean closing) {
        return refundAudit
                .record(tx, "refund.processed", "success", refund, Actor.STRIPE, "chargeback " + dispute.id())
                .call(() -> auditChargeback(tx, "chargeback.recorded", chargeback))
                .call(() -> closing
                        ? auditChargeback(tx, "chargeback.closed", chargeback)
                        : Uni.createFrom().voidItem());
    }

    /** True when this chargeback banned the user; an unknown user cannot be counted. */
    private Uni<Boolean> countAgainstUser(SqlConnection tx, RefundPayment payment, DisputeFact dispute) {
        return payment.userId == null
                ? Uni.createFrom().item(false)
                : bans.countChargeback(tx, payment.userId, dispute.id());
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

    private Uni<ChargebackOutcome> close(SqlConnection tx, Chargeback chargeback, DisputeFact dispute) {
        if (chargeback.closed()) {
            return Uni.createFrom().item(ChargebackOutcome.NOTHING);
        }
        chargeback.status = dispute.status();
        chargeback.closedAt = clock.instant();
        return tx.preparedQuery(CLOSE)
                .execute(Tuple.of(chargeback.disputeId, chargeback.status, SqlTime.of(chargeback.closedAt)))
                .chain(() -> auditChargeback(tx, "chargeback.closed", chargeback))
                .replaceWith(new ChargebackOutcome(false, true, false));
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

    private Uni<Void> auditChargeback(SqlConnection tx, String action, Chargeback chargeback) {
        return audit.record(
                tx,
                AuditEvent.builder(action, "success")
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

    private static Uni<Void> insert(SqlConnection tx, Chargeback c) {
        return tx.preparedQuery(INSERT)
                .execute(Tuple.from(new Object[] {
                    c.disputeId,
                    c.chargeId,
                    c.paymentIntentId,
                    c.userId,
                    c.amount,
                    c.currency,
                    c.status,
                    c.reason,
                    c.refundRequestId,
                    SqlTime.of(c.createdAt),
                    SqlTime.of(c.closedAt)
                }))
                .replaceWithVoid();
    }

    private static Chargeback found(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        Row row = rows.iterator().next();
        Chargeback c = new Chargeback();
        c.disputeId = row.getString("dispute_id");
        c.chargeId = row.getString("charge_id");
        c.paymentIntentId = row.getString("payment_intent_id");
        c.userId = row.getUUID("user_id");
        c.amount = row.getLong("amount");
        c.currency = row.getString("currency");
        c.status = row.getString("status");
        c.reason = row.getString("reason");
        c.refundRequestId = row.getUUID("refund_request_id");
        c.createdAt = SqlTime.instant(row, "created_at");
        c.closedAt = SqlTime.instant(row, "closed_at");
        return c;
    }
}
