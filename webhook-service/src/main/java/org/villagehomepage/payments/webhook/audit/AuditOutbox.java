package org.villagehomepage.payments.webhook.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.outbox.SqlOutbox;

/**
 * payments-common's {@code AuditTrail} for several entries at once: the
 * same outbox message (destination {@code audit}, body {@code {"events": [...]}}), written by
 * payments-common's {@link SqlOutbox} on the caller's connection so it commits with the fact it records. Several events travel in one message,
 * which keeps the batched intake at one audit row per transaction.
 */
@ApplicationScoped
public class AuditOutbox {

    /**
     * Entries per outbox message at most: audit-service refuses a body over 256 KiB (413, and the
     * relay gives such a message up as dead), and an entry here is under 0.5 KiB (webhook.dispatched:
     * about 310 bytes), so 200 leave ample room; the relay's merged requests carry 200 as well.
     */
    public static final int MAX_EVENTS_PER_MESSAGE = 200;

    private final SqlOutbox outbox;
    private final String service;

    public AuditOutbox(SqlOutbox outbox, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.outbox = outbox;
        this.service = service;
    }

    /** One audit entry; fields not given stay null. */
    public record Entry(
            UUID id,
            String action,
            String outcome,
            String actorType,
            String actorId,
            String paymentIntentId,
            String requestId,
            String sourceIp,
            Map<String, String> details) {

        public static Entry system(String action, String outcome, Map<String, String> details) {
            return new Entry(UUID.randomUUID(), action, outcome, "system", "system", null, null, null, details);
        }
    }

    public Uni<Void> record(SqlClient connection, List<Entry> entries, String requestId) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Instant now = Instant.now();
        List<AuditEvent> events =
                entries.stream().map(e -> event(e, now, requestId)).toList();
        List<SqlOutbox.Message> messages = new ArrayList<>();
        for (int from = 0; from < events.size(); from += MAX_EVENTS_PER_MESSAGE) {
            messages.add(new SqlOutbox.Message(
                    UUID.randomUUID(),
                    AuditEvent.DESTINATION,
                    AuditEvent.PATH,
                    Map.of("events", events.subList(from, Math.min(events.size(), from + MAX_EVENTS_PER_MESSAGE))),
                    requestId));
        }
        return messages.size() == 1
                ? outbox.enqueue(connection, messages.get(0))
                : outbox.enqueueAll(connection, messages);
    }

    /** The entry as it travels in the message's {@code events}; for writers that build the message in SQL. */
    public AuditEvent event(Entry e, Instant occurredAt, String requestId) {
        return new AuditEvent(
                e.id(),
                occurredAt,
                service,
                e.action(),
                e.outcome(),
                e.actorType(),
                e.actorId(),
                null,
                e.paymentIntentId(),
                null,
                null,
                null,
                e.requestId() != null ? e.requestId() : requestId,
                e.sourceIp(),
                e.details());
    }
}
