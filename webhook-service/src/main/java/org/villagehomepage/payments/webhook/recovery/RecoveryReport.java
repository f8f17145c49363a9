package org.villagehomepage.payments.webhook.recovery;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * What a recovery run saw and did (dry run: would do).
 *
 * @param scanned        succeeded PaymentIntents made by checkout (with {@code payment_id} or {@code listing_id} metadata)
 * @param alreadyApplied of those, payments checkout already has as succeeded
 * @param repairs        the others, each with what recovery does about it
 * @param enqueued       events written (apply only): new synthetic events plus re-queued earlier ones
 */
@RegisterForReflection
public record RecoveryReport(boolean applied, Instant since, int scanned, int alreadyApplied, List<Repair> repairs,
        int enqueued) {

    /**
     * @param checkoutStatus checkout's payment status, or {@code missing} when checkout does not know the payment
     * @param eventId        the {@code payment_intent.succeeded} event recovery sends to checkout
     */
    @RegisterForReflection
    public record Repair(String paymentIntentId, String paymentId, String listingId, String userId, String paymentType,
            long amount, String currency, String checkoutStatus, String listingStatus, String eventId, String action) {
    }
}
