package org.villagehomepage.payments.refund.request;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One refund request through its lifecycle ({@link RefundStatus}); its id (and key attempt) make its Stripe idempotency key. */
@Entity
@Table(name = "refund_request")
public class RefundRequest extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "payment_intent_id", nullable = false)
    public String paymentIntentId;

    @Column(name = "listing_id")
    public UUID listingId;

    @Column(name = "user_id")
    public UUID userId;

    @Column(nullable = false)
    public long amount;

    @Column(nullable = false)
    public String currency;

    @Column(nullable = false)
    public RefundReason reason;

    @Column(nullable = false)
    public RefundOrigin origin;

    @Column(nullable = false)
    public RefundStatus status;

    /** True while {@link #amount} counts in the payment's reserved amount. */
    @Column(nullable = false)
    public boolean reserved;

    @Column(name = "stripe_refund_id")
    public String stripeRefundId;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "request_note")
    public String requestNote;

    public String reviewer;

    @Column(name = "decision_note")
    public String decisionNote;

    /** A short safe word for the last Stripe failure, never Stripe's message. */
    public String failure;

    @Column(name = "stripe_attempts", nullable = false)
    public int stripeAttempts;

    /** Part of the idempotency key; bumped after a definitive refusal, whose key Stripe would replay. */
    @Column(name = "stripe_key_attempt", nullable = false)
    public int stripeKeyAttempt = 1;

    /** When the recovery job may look at this approved request again (null: as soon as it is stuck). */
    @Column(name = "recovery_due_at")
    public Instant recoveryDueAt;

    /** How often the recovery job drove this approval; its backoff doubles with each. */
    @Column(name = "recovery_checks", nullable = false)
    public int recoveryChecks;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "processed_at")
    public Instant processedAt;

    /** Moves to {@code next} if the lifecycle allows it, else a 409 problem. */
    public void moveTo(RefundStatus next, Instant now) {
        status.requireTransition(next);
        status = next;
        updatedAt = now;
    }

    /**
     * Whether a Stripe refund of this request is its current one, the only one that may move it:
     * every attempt carries the request id, but only the current key attempt's refund counts (an
     * older attempt's refund failed, or the request would not have a newer key). Refunds made before
     * the attempt was recorded in metadata are matched by their id once one is known.
     */
    public boolean follows(String stripeRefund, Integer keyAttempt) {
        if (keyAttempt != null) {
            return keyAttempt == stripeKeyAttempt;
        }
        return stripeRefundId == null || stripeRefundId.equals(stripeRefund);
    }

    /** The first attempt's key is the bare id; after a definitive refusal, {@code id:attempt}. */
    public String idempotencyKey() {
        return idempotencyKey(id, stripeKeyAttempt);
    }

    public static String idempotencyKey(UUID id, int attempt) {
        return attempt <= 1 ? id.toString() : id + ":" + attempt;
    }
}
