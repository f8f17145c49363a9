package org.villagehomepage.payments.webhook.dispatch;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.villagehomepage.payments.webhook.WebhookSettings;
import org.villagehomepage.payments.webhook.event.EventRoutes;

/**
 * Sends a stored event to its receiver again: its outbox message (same id, so a receiver that
 * applied it already answers 2xx and changes nothing) goes back to pending with fresh attempts,
 * and is written anew from the stored payload if the clean-up has removed it.
 */
@ApplicationScoped
public class Redispatch {

    private static final String REQUEUE = """
            INSERT INTO outbox_message (id, destination, path, payload, request_id)
            SELECT message_id, destination, $2, %s, $3 FROM webhook_event WHERE event_id = $1
            ON CONFLICT (id) DO UPDATE SET status = 'pending', attempts = 0, available_at = now(), claimed_until = NULL,
                last_error = NULL, delivered_at = NULL
            RETURNING id""".formatted(EventRoutes.dispatchPayloadSql("$4"));

    private final String[] batched;

    public Redispatch(WebhookSettings settings) {
        this.batched = EventRoutes.batched(settings);
    }

    /** True when the event exists and was queued again. */
    public Uni<Boolean> requeue(SqlConnection connection, String eventId, String requestId) {
        return connection
                .preparedQuery(REQUEUE)
                .execute(Tuple.of(eventId, EventRoutes.PATH, requestId, batched))
                .map(rows -> rows.rowCount() == 1);
    }
}
