package org.villagehomepage.payments.common.panache;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.http.RequestIds;

/**
 * Records an audit event through the outbox, in the caller's transaction: the fact and its audit
 * record commit together or not at all. audit-service deduplicates by the event id.
 */
@ApplicationScoped
public class AuditTrail {

    private final Outbox outbox;
    private final String service;

    public AuditTrail(Outbox outbox, @ConfigProperty(name = "quarkus.application.name") String service) {
        this.outbox = outbox;
        this.service = service;
    }

    public Uni<Void> record(AuditEvent.Builder event) {
        AuditEvent built = event.build(service, RequestIds.current());
        // A fresh message id: the same audit event recorded twice is deduplicated by audit-service.
        return outbox.enqueue(AuditEvent.DESTINATION, AuditEvent.PATH, Map.of("events", List.of(built)))
                .replaceWithVoid();
    }
}
