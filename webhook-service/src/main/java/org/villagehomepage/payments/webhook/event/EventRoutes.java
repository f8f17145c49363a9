package org.villagehomepage.payments.webhook.event;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.villagehomepage.payments.webhook.WebhookSettings;

/** Which service each Stripe event type goes to (docs/contracts.md); other types are ignored. */
public final class EventRoutes {

    public static final String PATH = "/internal/stripe-events";
    public static final String CHECKOUT = "checkout";
    public static final String REFUND = "refund";

    private static final Map<String, String> DESTINATIONS = Map.of(
            "payment_intent.succeeded", CHECKOUT,
            "payment_intent.payment_failed", CHECKOUT,
            "payment_intent.canceled", CHECKOUT,
            "charge.refunded", REFUND,
            "refund.updated", REFUND,
            "refund.created", REFUND,
            "charge.dispute.created", REFUND,
            "charge.dispute.closed", REFUND);

    /** Receivers that take a batch, {@code {"events":[...]}}, and apply each event once by its own id. */
    private static final Set<String> BATCHABLE = Set.of(CHECKOUT);

    /**
     * The destinations whose messages are wrapped ({@code webhook.batched-destinations}); refuses,
     * at start, one whose receiver takes single events only.
     */
    public static String[] batched(WebhookSettings settings) {
        List<String> batched =
                settings == null ? List.of() : settings.batchedDestinations().orElse(List.of());
        for (String destination : batched) {
            if (!BATCHABLE.contains(destination)) {
                throw new IllegalStateException("webhook.batched-destinations: " + destination
                        + " takes one event per request; only " + BATCHABLE + " take batches");
            }
        }
        return batched.toArray(String[]::new);
    }

    /**
     * The outbox payload in SQL, from the columns {@code destination} and {@code payload} (the event
     * as Stripe sent it) and the text[] parameter {@code batched} ({@link #batched}).
     */
    public static String dispatchPayloadSql(String batched) {
        return "CASE WHEN destination = ANY(" + batched + "::text[]) THEN '{\"events\":[' || payload || ']}'"
                + " ELSE payload END";
    }

    private EventRoutes() {}

    public static Optional<String> destination(String eventType) {
        return Optional.ofNullable(DESTINATIONS.get(eventType));
    }

    /** The types the suite processes, sorted (reconciliation asks Stripe for these only). */
    public static List<String> handledTypes() {
        return DESTINATIONS.keySet().stream().sorted().toList();
    }
}
