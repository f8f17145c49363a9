package org.villagehomepage.payments.refund.request;

import java.time.Instant;
import java.util.UUID;

/** One refund request through its lifecycle ({@link RefundStatus}); its id (and key attempt) make its Stripe idempotency key. */
public class RefundRequest {

    public UUID id;
    public String paymentIntentId;
    public UUID listingId;
    public UUID userId;
    public long amount;
    public String currency;
    public RefundReason reason;
    public RefundOrigin origin;
    public RefundStatus status;

    /** True while {@link #amount} counts in the payment's reserved amount. */
    public boolean reserved;

    public String stripeRefundId;
    public String requestedBy;
    public String requestNote;
    public String reviewer;
    public String decisionNote;

    /** A short safe word for the last Stripe failure, never Stripe's message. */
    public String failure;

    public int stripeAttempts;

    /** Part of the idempotency key; bumped after a definitive refusal, whose key Stripe would replay. */
    public int stripeKeyAttempt = 1;

    /** When the recovery job may look at this approved request again (null: as soon as it is stuck). */
    public Instant recoveryDueAt;

    /** How often the recovery job drove this approval; its backoff doubles with each. */
    public int recoveryChecks;

    public Instant createdAt;
    public Instant updatedAt;
    public Instant decidedAt;
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
