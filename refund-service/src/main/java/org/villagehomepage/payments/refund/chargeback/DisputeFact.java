package org.villagehomepage.payments.refund.chargeback;

import com.fasterxml.jackson.databind.JsonNode;

/** The parts of a Stripe dispute object the suite records. */
public record DisputeFact(
        String id,
        String chargeId,
        String paymentIntentId,
        long amount,
        String currency,
        String status,
        String reason) {

    public static DisputeFact of(JsonNode dispute) {
        return new DisputeFact(
                dispute.path("id").asText(null),
                dispute.path("charge").asText(null),
                dispute.path("payment_intent").asText(null),
                dispute.path("amount").asLong(0),
                dispute.path("currency").asText(null),
                dispute.path("status").asText("needs_response"),
                dispute.path("reason").asText(null));
    }

    public boolean complete() {
        return id != null && chargeId != null && paymentIntentId != null && currency != null && amount > 0;
    }
}
