package org.villagehomepage.payments.common.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.outbox.SqlOutbox;

/**
 * Records an audit event through the outbox on the caller's connection, inside its transaction:
 * the fact and its audit record commit together or not at all. audit-service deduplicates by the
 * event id.
 */
@ApplicationScoped
public class AuditTrail {

    private final SqlOutbox outbox;
    private final String service;

    public AuditTrail(SqlOutbox outbox, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.outbox = outbox;
        this.service = service;
    }

    /** With the request id of the current request (none outside one). */
    public Uni<Void> record(SqlClient transaction, AuditEvent.Builder event) {
        return record(transaction, event, RequestIds.current());
    }

    public Uni<Void> record(SqlClient transaction, AuditEvent.Builder event, String requestId) {
        return outbox.enqueue(transaction, message(event, requestId));
    }

    /**
     * The values of the outbox row {@link #record} writes (SqlOutbox.values), for a statement that
     * writes it together with the fact it records.
     */
    public Object[] outboxValues(AuditEvent.Builder event, String requestId) {
        return outbox.values(message(event, requestId));
    }

    private SqlOutbox.Message message(AuditEvent.Builder event, String requestId) {
        // A fresh message id: the same audit event recorded twice is deduplicated by audit-service.
        return new SqlOutbox.Message(
                UUID.randomUUID(),
                AuditEvent.DESTINATION,
                AuditEvent.PATH,
                Map.of("events", List.of(event.build(service, requestId))),
                requestId);
    }
}
