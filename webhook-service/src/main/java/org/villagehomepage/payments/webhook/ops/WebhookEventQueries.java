package org.villagehomepage.payments.webhook.ops;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.villagehomepage.payments.common.sql.CustomPlans;
import org.villagehomepage.payments.webhook.dispatch.EventStatus;

/** Reads stored events with their status derived from the outbox. */
@ApplicationScoped
public class WebhookEventQueries {

    private static final String SELECT = """
            SELECT * FROM (
                SELECT e.event_id, e.type, e.object_id, e.created, e.livemode, e.source, e.destination, e.received_at,
                       e.processed_at, coalesce(m.attempts, 0) AS attempts, m.last_error, %s AS status
                FROM webhook_event e LEFT JOIN outbox_message m ON m.id = e.message_id) v
            """.formatted(EventStatus.SQL);
    private static final String LIST = SELECT + """
            WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR type = $2)
              AND ($3::timestamptz IS NULL OR received_at >= $3)
            ORDER BY received_at DESC, event_id OFFSET $4 LIMIT $5""";
    private static final String ONE = SELECT + "WHERE event_id = $1";
    static final String FOR_OBJECTS = SELECT + "WHERE object_id = ANY($1) ORDER BY created, event_id LIMIT 200";

    private final Pool pool;

    public WebhookEventQueries(Pool pool) {
        this.pool = pool;
    }

    public Uni<List<WebhookEventView>> list(String status, String type, OffsetDateTime since, int offset, int limit) {
        // optional filters: the best plan depends on which are given
        return CustomPlans.inTransaction(
                pool,
                connection -> connection
                        .preparedQuery(LIST)
                        .execute(Tuple.of(status, type, since, offset, limit))
                        .map(rows -> {
                            List<WebhookEventView> views = new ArrayList<>();
                            rows.forEach(row -> views.add(view(row)));
                            return views;
                        }));
    }

    /** The stored events about these Stripe objects (a PaymentIntent and its charge), oldest first. */
    public Uni<List<WebhookEventView>> forObjects(List<String> objectIds) {
        return pool.preparedQuery(FOR_OBJECTS)
                .execute(Tuple.of(objectIds.toArray(String[]::new)))
                .map(rows -> {
                    List<WebhookEventView> views = new ArrayList<>();
                    rows.forEach(row -> views.add(view(row)));
                    return views;
                });
    }

    public Uni<Optional<WebhookEventView>> find(SqlClient client, String eventId) {
        return client.preparedQuery(ONE)
                .execute(Tuple.of(eventId))
                .map(rows -> rows.size() == 0
                        ? Optional.empty()
                        : Optional.of(view(rows.iterator().next())));
    }

    private static WebhookEventView view(Row row) {
        return new WebhookEventView(
                row.getString("event_id"),
                row.getString("type"),
                row.getString("object_id"),
                row.getOffsetDateTime("created"),
                row.getBoolean("livemode"),
                row.getString("source"),
                row.getString("destination"),
                row.getString("status"),
                row.getInteger("attempts"),
                row.getString("last_error"),
                row.getOffsetDateTime("received_at"),
                row.getOffsetDateTime("processed_at"));
    }
}
