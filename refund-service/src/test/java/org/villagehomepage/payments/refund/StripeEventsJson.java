package org.villagehomepage.payments.refund;

/** Stripe event bodies as webhook-service forwards them, for the events refund-service handles. */
public final class StripeEventsJson {

    private StripeEventsJson() {}

    public static String dispute(
            String eventId,
            String type,
            String disputeId,
            String chargeId,
            String paymentIntentId,
            long amount,
            String status) {
        return """
                {"id":"%s","object":"event","api_version":"2026-07-29.dahlia","created":1760000000,"livemode":false,
                 "type":"%s","data":{"object":{"id":"%s","object":"dispute","amount":%d,"charge":"%s",
                 "currency":"usd","payment_intent":"%s","reason":"fraudulent","status":"%s","metadata":{}}}}""".formatted(eventId, type, disputeId, amount, chargeId, paymentIntentId, status);
    }

    public static String refund(
            String eventId,
            String type,
            String refundId,
            String chargeId,
            String paymentIntentId,
            long amount,
            String status,
            String requestId) {
        String metadata = requestId == null ? "{}" : "{\"refund_request_id\":\"" + requestId + "\"}";
        return """
                {"id":"%s","object":"event","api_version":"2026-07-29.dahlia","created":1760000000,"livemode":false,
                 "type":"%s","data":{"object":{"id":"%s","object":"refund","amount":%d,"charge":"%s","currency":"usd",
                 "payment_intent":"%s","status":"%s","metadata":%s}}}""".formatted(eventId, type, refundId, amount, chargeId, paymentIntentId, status, metadata);
    }
}
