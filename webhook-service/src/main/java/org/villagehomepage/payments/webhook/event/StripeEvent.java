package org.villagehomepage.payments.webhook.event;

import java.time.Instant;
import java.util.UUID;
import org.villagehomepage.payments.common.outbox.SqlOutbox;

/**
 * A verified Stripe event on its way into the store: the raw payload as Stripe sent it plus the
 * fields the store indexes. {@code destination} is the receiving service.
 *
 * @param source    {@code delivery}, {@code reconciliation} or {@code recovery}
 * @param requestId the request that brought it (null for jobs)
 */
public record StripeEvent(
        String id,
        String type,
        Instant created,
        boolean livemode,
        String objectId,
        String destination,
        String payload,
        String source,
        String requestId) {

    public static final String DELIVERY = "delivery";
    public static final String RECONCILIATION = "reconciliation";
    public static final String RECOVERY = "recovery";

    /** The outbox message id of docs/contracts.md: the same event is one message, however often it comes. */
    public UUID messageId() {
        return messageId(destination, id);
    }

    public static UUID messageId(String destination, String eventId) {
        return SqlOutbox.idFor(destination + ":" + eventId);
    }
}
