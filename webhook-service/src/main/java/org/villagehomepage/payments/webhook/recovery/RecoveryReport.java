package org.villagehomepage.payments.webhook.recovery;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * What a recovery run saw and did (dry run: would do).
 *
 * @param scanned        succeeded PaymentIntents made by checkout (with {@code payment_id} or {@code listing_id} metadata)
 * @param alreadyApplied of those, payments checkout already has as succeeded
 * @param repairs        the others, each with what recovery does about it (apply: what checkout re-created and did)
 * @param enqueued       refund events written (apply only): new synthetic events plus re-queued earlier ones
 * @param refundsScanned succeeded Stripe refunds of the suite's payments since then
 * @param refundRepairs  of those, the ones refund-service has no record of
 */
@RegisterForReflection
public record RecoveryReport(
        boolean applied,
        Instant since,
        int scanned,
        int alreadyApplied,
        List<Repair> repairs,
        int enqueued,
        int refundsScanned,
        List<RefundRepair> refundRepairs) {

    /**
     * @param checkoutStatus checkout's payment status, or {@code missing} when checkout does not know the payment
     * @param eventId        the {@code payment_intent.succeeded} event recovery sends to checkout
     */
    @RegisterForReflection
    public record Repair(
            String paymentIntentId,
            String paymentId,
            String listingId,
            String userId,
            String paymentType,
            long amount,
            String currency,
            String checkoutStatus,
            String listingStatus,
            String eventId,
            String action) {}

    /** @param requestId the suite's refund request (metadata), null for a refund made in the Dashboard */
    @RegisterForReflection
    public record RefundRepair(
            String refundId,
            String paymentIntentId,
            long amount,
            String currency,
            String requestId,
            String reason,
            String eventId,
            String action) {}
}
