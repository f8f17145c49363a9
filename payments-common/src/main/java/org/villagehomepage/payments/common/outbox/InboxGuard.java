package org.villagehomepage.payments.common.outbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The receiving side of the outbox: remembers each message id in the receiver's transaction, so a
 * message delivered twice (relay retry, replica race, replay) changes state once. Ids are only
 * trusted per sender: the key is (verified sender, message id), so ids one sender claims (even
 * predictable ones, inserted ahead) never suppress another sender's message.
 */
@ApplicationScoped
public class InboxGuard {

    /** Marks ids remembered before ids were kept per sender (V0_2); they still count as seen. */
    static final String LEGACY_SENDER = "legacy";

    private static final String INSERT = """
            INSERT INTO processed_message (sender, message_id)
            SELECT $1, $2
            WHERE NOT EXISTS (SELECT 1 FROM processed_message WHERE sender = 'legacy' AND message_id = $2)
            ON CONFLICT DO NOTHING""";

    /**
     * True the first time this sender delivers this id; call on the connection of the transaction
     * that applies the message, with the sender verified by {@code ServiceCallFilter}.
     */
    public Uni<Boolean> firstDelivery(SqlClient transaction, MessageKey key) {
        return firstDelivery(transaction, key.sender(), key.messageId());
    }

    public Uni<Boolean> firstDelivery(SqlClient transaction, String sender, String messageId) {
        if (sender == null || sender.isBlank() || LEGACY_SENDER.equals(sender)) {
            throw new IllegalArgumentException("a verified sender is required");
        }
        return transaction
                .preparedQuery(INSERT)
                .execute(Tuple.of(sender, messageId))
                .map(result -> result.rowCount() == 1);
    }
}
