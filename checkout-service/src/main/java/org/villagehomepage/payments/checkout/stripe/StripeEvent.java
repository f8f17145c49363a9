package org.villagehomepage.payments.checkout.stripe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;

/**
 * The parts of a {@code payment_intent.*} event checkout acts on, read from the event JSON as
 * Stripe sent it. {@code amountReceived} is what was captured (falls back to {@code amount}).
 */
public record StripeEvent(
        String id,
        String type,
        String intentId,
        long amount,
        long amountReceived,
        String currency,
        Map<String, String> metadata,
        String failureCode) {

    public static final String SUCCEEDED = "payment_intent.succeeded";
    public static final String FAILED = "payment_intent.payment_failed";
    public static final String CANCELED = "payment_intent.canceled";

    /**
     * The event JSON of a request body (the receiver and disaster recovery's restore read it alike):
     * 400 {@code malformed-json} when it is not JSON, {@code invalid-event} when it is not an object.
     */
    public static JsonNode read(ObjectMapper mapper, String body) {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.MALFORMED_JSON, "The request body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new ProblemException(ProblemType.INVALID_EVENT, "The body is not a Stripe event");
        }
        return node;
    }

    public static StripeEvent parse(JsonNode event) {
        JsonNode object = event.path("data").path("object");
        String id = text(event, "id");
        String type = text(event, "type");
        if (id == null || type == null) {
            throw new ProblemException(ProblemType.INVALID_EVENT, "The event has no id or type");
        }
        if (!isPaymentIntentEvent(type)) {
            return new StripeEvent(id, type, null, 0, 0, null, Map.of(), null);
        }
        String intentId = text(object, "id");
        if (intentId == null || !object.path("amount").canConvertToLong()) {
            throw new ProblemException(ProblemType.INVALID_EVENT, "The event has no payment intent");
        }
        long amount = object.path("amount").asLong();
        long received = object.path("amount_received").canConvertToLong()
                ? object.path("amount_received").asLong()
                : amount;
        Map<String, String> metadata = new HashMap<>();
        object.path("metadata")
                .fields()
                .forEachRemaining(
                        field -> metadata.put(field.getKey(), field.getValue().asText()));
        return new StripeEvent(
                id,
                type,
                intentId,
                amount,
                received,
                text(object, "currency"),
                metadata,
                text(object.path("last_payment_error"), "code"));
    }

    public static boolean isPaymentIntentEvent(String type) {
        return SUCCEEDED.equals(type) || FAILED.equals(type) || CANCELED.equals(type);
    }

    /** Our payment id from the intent's metadata, if it is a UUID. */
    public UUID paymentIdFromMetadata() {
        try {
            String value = metadata.get("payment_id");
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : null;
    }
}
