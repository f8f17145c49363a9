package org.villagehomepage.payments.webhook.event;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.villagehomepage.payments.common.outbox.SqlOutbox;
import org.villagehomepage.payments.webhook.audit.AuditOutbox;

/**
 * Stores events once and, in the same transaction, their outbox messages to checkout/refund and
 * one audit message for the batch. Several events share one multi-row INSERT and one commit; the
 * unique event id decides which are new, also against concurrent transactions on other replicas.
 */
@ApplicationScoped
public class EventStore {

    private static final String INSERT_EVENTS = """
            INSERT INTO webhook_event (event_id, type, object_id, created, livemode, payload, source, destination, message_id)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::boolean[], $6::text[],
                                 $7::text[], $8::text[], $9::uuid[])
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id""";

    private final Pool pool;
    private final SqlOutbox outbox;
    private final AuditOutbox audit;

    public EventStore(Pool pool, SqlOutbox outbox, AuditOutbox audit) {
        this.pool = pool;
        this.outbox = outbox;
        this.audit = audit;
    }

    /** Stores the events in one transaction; answers the ids that were new. */
    public Uni<Set<String>> store(List<StripeEvent> events) {
        return pool.withTransaction(connection -> store(connection, events));
    }

    /** On the caller's connection and transaction. */
    public Uni<Set<String>> store(SqlConnection connection, List<StripeEvent> events) {
        // One row per id, in id order: concurrent batches then wait for each other's ids in the
        // same order and cannot deadlock.
        Map<String, StripeEvent> unique = new TreeMap<>();
        events.forEach(event -> unique.putIfAbsent(event.id(), event));
        List<StripeEvent> rows = List.copyOf(unique.values());
        if (rows.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return connection
                .preparedQuery(INSERT_EVENTS)
                .execute(eventColumns(rows))
                .map(inserted -> {
                    Set<String> fresh = new HashSet<>();
                    for (Row row : inserted) {
                        fresh.add(row.getString(0));
                    }
                    return fresh;
                })
                .call(fresh -> enqueue(
                        connection,
                        rows.stream().filter(e -> fresh.contains(e.id())).toList()));
    }

    private Uni<Void> enqueue(SqlConnection connection, List<StripeEvent> fresh) {
        if (fresh.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<SqlOutbox.Message> messages = fresh.stream()
                .map(event -> new SqlOutbox.Message(
                        event.messageId(), event.destination(), EventRoutes.PATH, event.payload(), event.requestId()))
                .toList();
        return outbox.enqueueAll(connection, messages)
                .call(ignored -> audit.record(
                        connection, fresh.stream().map(EventStore::received).toList(), null))
                .replaceWithVoid();
    }

    private static AuditOutbox.Entry received(StripeEvent event) {
        boolean fromStripe = StripeEvent.DELIVERY.equals(event.source());
        String paymentIntent = event.objectId() != null && event.objectId().startsWith("pi_") ? event.objectId() : null;
        return new AuditOutbox.Entry(
                SqlOutbox.idFor("webhook.received:" + event.id()),
                "webhook.received",
                "success",
                fromStripe ? "stripe" : "system",
                fromStripe ? "stripe" : event.source(),
                paymentIntent,
                event.requestId(),
                null,
                Map.of(
                        "eventId",
                        event.id(),
                        "eventType",
                        event.type(),
                        "source",
                        event.source(),
                        "destination",
                        event.destination()));
    }

    private static Tuple eventColumns(List<StripeEvent> rows) {
        int n = rows.size();
        String[] ids = new String[n];
        String[] types = new String[n];
        String[] objectIds = new String[n];
        OffsetDateTime[] created = new OffsetDateTime[n];
        Boolean[] livemode = new Boolean[n];
        String[] payloads = new String[n];
        String[] sources = new String[n];
        String[] destinations = new String[n];
        UUID[] messageIds = new UUID[n];
        for (int i = 0; i < n; i++) {
            StripeEvent event = rows.get(i);
            ids[i] = event.id();
            types[i] = event.type();
            objectIds[i] = event.objectId();
            created[i] = event.created().atOffset(ZoneOffset.UTC);
            livemode[i] = event.livemode();
            payloads[i] = event.payload();
            sources[i] = event.source();
            destinations[i] = event.destination();
            messageIds[i] = event.messageId();
        }
        return Tuple.tuple()
                .addArrayOfString(ids)
                .addArrayOfString(types)
                .addArrayOfString(objectIds)
                .addArrayOfOffsetDateTime(created)
                .addArrayOfBoolean(livemode)
                .addArrayOfString(payloads)
                .addArrayOfString(sources)
                .addArrayOfString(destinations)
                .addArrayOfUUID(messageIds);
    }
}
