package org.villagehomepage.payments.common.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * The outbox writer on the reactive SQL client: the {@code outbox_message} row, written on the
 * caller's connection (inside its transaction) so the message commits with the change it reports
 * (every service writes its outbox through it; {@code AuditTrail} for audit records). Ids come from
 * the caller: a random one, or {@link #idFor} of a per-sender cause so the receiver deduplicates.
 */
@ApplicationScoped
public class SqlOutbox {

    private static final String INSERT = """
            INSERT INTO outbox_message (id, destination, path, payload, request_id) VALUES ($1, $2, $3, $4, $5)""";
    // Several messages in one statement; an id already written (the same cause) is kept as it is.
    private static final String INSERT_ALL = """
            INSERT INTO outbox_message (id, destination, path, payload, request_id)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])
            ON CONFLICT (id) DO NOTHING""";

    private final ObjectMapper mapper;

    public SqlOutbox(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** One message; {@code payload} is JSON as a String or an object to serialize. */
    public record Message(UUID id, String destination, String path, Object payload, String requestId) {}

    public Uni<Void> enqueue(SqlClient client, Message message) {
        return client.preparedQuery(INSERT).execute(Tuple.from(values(message))).replaceWithVoid();
    }

    /**
     * The row's values in column order (id, destination, path, payload, request_id), for a statement
     * that writes the message together with the change it reports.
     */
    public Object[] values(Message message) {
        return new Object[] {
            message.id(), message.destination(), message.path(), json(mapper, message.payload()), message.requestId()
        };
    }

    /** In one statement; a message whose id is already in the outbox is skipped. */
    public Uni<Void> enqueueAll(SqlClient client, List<Message> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = messages.size();
        UUID[] ids = new UUID[n];
        String[] destinations = new String[n];
        String[] paths = new String[n];
        String[] payloads = new String[n];
        String[] requestIds = new String[n];
        for (int i = 0; i < n; i++) {
            Message message = messages.get(i);
            ids[i] = message.id();
            destinations[i] = message.destination();
            paths[i] = message.path();
            payloads[i] = json(mapper, message.payload());
            requestIds[i] = message.requestId();
        }
        return client.preparedQuery(INSERT_ALL)
                .execute(Tuple.tuple()
                        .addArrayOfUUID(ids)
                        .addArrayOfString(destinations)
                        .addArrayOfString(paths)
                        .addArrayOfString(payloads)
                        .addArrayOfString(requestIds))
                .replaceWithVoid();
    }

    /** A stable message id for a cause, such as {@code "checkout:evt_123"}. */
    public static UUID idFor(String cause) {
        return UUID.nameUUIDFromBytes(cause.getBytes(StandardCharsets.UTF_8));
    }

    /** The payload as stored: a String is JSON already. Shared with the Hibernate writer. */
    public static String json(ObjectMapper mapper, Object payload) {
        if (payload instanceof String json) {
            return json;
        }
        try {
            return mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("outbox payload is not serializable", e);
        }
    }
}
