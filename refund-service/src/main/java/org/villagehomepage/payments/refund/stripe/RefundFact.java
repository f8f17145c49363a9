package org.villagehomepage.payments.refund.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.model.Refund;
import java.util.Set;
import java.util.UUID;

/**
 * The parts of a Stripe refund object the suite reconciles; {@code requestId} is ours when we made
 * it, and {@code reason} is then the request's reason (metadata {@code refund_reason}).
 */
public record RefundFact(
        String id,
        String paymentIntentId,
        long amount,
        String currency,
        String status,
        UUID requestId,
        Integer keyAttempt,
        String reason) {

    /** Where a Stripe refund stands: only succeeded and failed/canceled are final. */
    public enum Settlement {
        SUCCEEDED,
        FAILED,
        IN_FLIGHT
    }

    private static final Set<String> REFUSED = Set.of("failed", "canceled");

    public static RefundFact of(JsonNode refund) {
        return new RefundFact(
                refund.path("id").asText(null),
                refund.path("payment_intent").asText(null),
                refund.path("amount").asLong(0),
                refund.path("currency").asText(null),
                refund.path("status").asText(""),
                StripePayments.uuid(refund.path("metadata")
                        .path(StripeRefunds.REQUEST_ID_METADATA)
                        .asText(null)),
                attempt(refund.path("metadata")
                        .path(StripeRefunds.KEY_ATTEMPT_METADATA)
                        .asText(null)),
                refund.path("metadata").path(StripeRefunds.REASON_METADATA).asText(null));
    }

    public static RefundFact of(Refund refund) {
        String requestId =
                refund.getMetadata() == null ? null : refund.getMetadata().get(StripeRefunds.REQUEST_ID_METADATA);
        String attempt =
                refund.getMetadata() == null ? null : refund.getMetadata().get(StripeRefunds.KEY_ATTEMPT_METADATA);
        String reason =
                refund.getMetadata() == null ? null : refund.getMetadata().get(StripeRefunds.REASON_METADATA);
        return new RefundFact(
                refund.getId(),
                refund.getPaymentIntent(),
                refund.getAmount() == null ? 0 : refund.getAmount(),
                refund.getCurrency(),
                refund.getStatus() == null ? "" : refund.getStatus(),
                StripePayments.uuid(requestId),
                attempt(attempt),
                reason);
    }

    private static Integer attempt(String value) {
        if (value == null || !value.matches("[1-9][0-9]{0,8}")) {
            return null;
        }
        return Integer.valueOf(value);
    }

    /** pending and requires_action can still fail at Stripe: not final, nothing is decided on them. */
    public Settlement settlement() {
        return settlement(status);
    }

    public static Settlement settlement(String status) {
        if ("succeeded".equals(status)) {
            return Settlement.SUCCEEDED;
        }
        return REFUSED.contains(status) ? Settlement.FAILED : Settlement.IN_FLIGHT;
    }

    public boolean complete() {
        return id != null && paymentIntentId != null && currency != null && amount > 0;
    }
}
