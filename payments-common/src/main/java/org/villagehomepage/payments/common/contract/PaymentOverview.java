package org.villagehomepage.payments.common.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.UUID;

/**
 * checkout's answer to {@code GET /internal/payments/by-intent/{pi}} and {@code /by-subject/{id}}: a
 * payment with its listing's and promotion's status. One definition for checkout, which writes it,
 * and webhook-service (recovery, the payment doctor), which reads it; a reader ignores fields it does
 * not know yet, so checkout may add some first.
 *
 * @param promotionStatus the promotion this payment bought, null for a posting fee or when there is none
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record PaymentOverview(
        UUID paymentId,
        String paymentIntentId,
        String purpose,
        String status,
        UUID listingId,
        String listingStatus,
        UUID userId,
        long amount,
        String currency,
        String promotionStatus) {}
