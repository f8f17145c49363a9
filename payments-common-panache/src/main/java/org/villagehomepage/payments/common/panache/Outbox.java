package org.villagehomepage.payments.common.panache;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.outbox.SqlOutbox;

/**
 * Writes messages for other services into the caller's transaction. Must be called inside a
 * reactive transaction ({@code @WithTransaction}); the relay delivers after commit.
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper mapper;

    public Outbox(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Uni<UUID> enqueue(String destination, String path, Object payload) {
        return enqueue(UUID.randomUUID(), destination, path, payload);
    }

    /**
     * With an id derived from the cause (for example a Stripe event id), a message enqueued twice
     * for the same cause is applied once by the receiver, which deduplicates by message id.
     */
    public Uni<UUID> enqueue(UUID id, String destination, String path, Object payload) {
        OutboxMessage message = new OutboxMessage();
        message.id = id;
        message.destination = destination;
        message.path = path;
        message.payload = SqlOutbox.json(mapper, payload);
        message.requestId = RequestIds.current();
        message.availableAt = OffsetDateTime.now();
        message.createdAt = message.availableAt;
        return message.persist().replaceWith(id);
    }
}
