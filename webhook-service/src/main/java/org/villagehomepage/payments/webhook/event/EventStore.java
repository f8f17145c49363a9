package org.villagehomepage.payments.webhook.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.outbox.SqlOutbox;
import org.villagehomepage.payments.webhook.WebhookSettings;
import org.villagehomepage.payments.webhook.audit.AuditOutbox;

/**
 * Stores events once and, with them, their outbox messages to checkout/refund and one audit
 * message for the batch, all in ONE statement: one round trip per batch, atomic on its own (an
 * implicit transaction) or inside the caller's. The unique event id decides which events are new,
 * also against concurrent statements on other replicas; only new events get outbox rows.
 */
@ApplicationScoped
public class EventStore {

    /*
     * The data-modifying CTEs all see the same snapshot, so the outbox rows are taken from the
     * event INSERT's RETURNING (the rows this statement inserted), never from a re-read. The
     * outbox_message rows have the same columns SqlOutbox writes (and ON CONFLICT as its
     * enqueueAll); the audit body is {"events": [...]} of AuditOutbox, its entries serialized by
     * Jackson beforehand and joined here for the new events only (none new: no audit row).
     */
    private static final String STORE = """
            WITH batch AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::boolean[], $6::text[],
                                     $7::text[], $8::text[], $9::uuid[], $10::text[], $11::text[])
                    AS b (event_id, type, object_id, created, livemode, payload, source, destination, message_id,
                          request_id, audit_event)
            ), stored AS (
                INSERT INTO webhook_event (event_id, type, object_id, created, livemode, payload, source, destination, message_id)
                SELECT event_id, type, object_id, created, livemode, payload, source, destination, message_id FROM batch
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id
            ), fresh AS (
                SELECT batch.* FROM batch JOIN stored USING (event_id)
            ), dispatch AS (
                INSERT INTO outbox_message (id, destination, path, payload, request_id)
                SELECT message_id, destination, $12::text, %s, request_id FROM fresh
                ON CONFLICT (id) DO NOTHING
            ), audit AS (
                INSERT INTO outbox_message (id, destination, path, payload, request_id)
                SELECT $13::uuid, $14::text, $15::text,
                       '{"events":[' || string_agg(audit_event, ',' ORDER BY event_id) || ']}', NULL
                FROM fresh
                HAVING count(*) > 0
            )
            SELECT event_id FROM stored""".formatted(EventRoutes.dispatchPayloadSql("$16"));

    private final Pool pool;
    private final AuditOutbox audit;
    private final ObjectMapper mapper;
    private final String[] batched;

    public EventStore(Pool pool, AuditOutbox audit, ObjectMapper mapper, WebhookSettings settings) {
        this.pool = pool;
        this.audit = audit;
        this.mapper = mapper;
        this.batched = EventRoutes.batched(settings);
    }

    /** Stores the events in one statement (its own transaction); answers the ids that were new. */
    public Uni<Set<String>> store(List<StripeEvent> events) {
        return store(pool, events);
    }

    /** On the caller's client: a connection inside its transaction, or the pool (autocommit). */
    public Uni<Set<String>> store(SqlClient client, List<StripeEvent> events) {
        // One row per id, in id order: concurrent batches then wait for each other's ids in the
        // same order and cannot deadlock.
        Map<String, StripeEvent> unique = new TreeMap<>();
        events.forEach(event -> unique.putIfAbsent(event.id(), event));
        List<StripeEvent> rows = List.copyOf(unique.values());
        if (rows.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        if (rows.size() <= AuditOutbox.MAX_EVENTS_PER_MESSAGE) {
            return storeRows(client, rows);
        }
        // Recovery stores thousands at once: one statement (and one audit message) per chunk, so
        // no audit message exceeds what audit-service accepts.
        Uni<Set<String>> chain = Uni.createFrom().item(new HashSet<>());
        for (int from = 0; from < rows.size(); from += AuditOutbox.MAX_EVENTS_PER_MESSAGE) {
            List<StripeEvent> chunk =
                    rows.subList(from, Math.min(rows.size(), from + AuditOutbox.MAX_EVENTS_PER_MESSAGE));
            chain = chain.flatMap(fresh -> storeRows(client, chunk).map(more -> {
                fresh.addAll(more);
                return fresh;
            }));
        }
        return chain;
    }

    private Uni<Set<String>> storeRows(SqlClient client, List<StripeEvent> rows) {
        Tuple arguments;
        try {
            arguments = arguments(rows);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("audit entry is not serializable", e));
        }
        return client.preparedQuery(STORE).execute(arguments).map(inserted -> {
            Set<String> fresh = new HashSet<>();
            for (Row row : inserted) {
                fresh.add(row.getString(0));
            }
            return fresh;
        });
    }

    private AuditOutbox.Entry received(StripeEvent event) {
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

    private Tuple arguments(List<StripeEvent> rows) throws JsonProcessingException {
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
        String[] requestIds = new String[n];
        String[] auditEvents = new String[n];
        // Serialized for every event (Postgres decides which are new); duplicates are the exception.
        Instant now = Instant.now();
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
            requestIds[i] = event.requestId();
            auditEvents[i] = mapper.writeValueAsString(audit.event(received(event), now, null));
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
                .addArrayOfUUID(messageIds)
                .addArrayOfString(requestIds)
                .addArrayOfString(auditEvents)
                .addString(EventRoutes.PATH)
                .addUUID(UUID.randomUUID())
                .addString(AuditEvent.DESTINATION)
                .addString(AuditEvent.PATH)
                .addArrayOfString(batched);
    }
}
