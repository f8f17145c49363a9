package org.villagehomepage.payments.common.panache;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.villagehomepage.payments.common.outbox.MessageKey;

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
            SELECT :sender, :id
            WHERE NOT EXISTS (SELECT 1 FROM processed_message WHERE sender = 'legacy' AND message_id = :id)
            ON CONFLICT DO NOTHING""";

    /**
     * True the first time this sender delivers this id; call inside the transaction that applies
     * the message, with the sender verified by {@code ServiceCallFilter}.
     */
    public Uni<Boolean> firstDelivery(MessageKey key) {
        return firstDelivery(key.sender(), key.messageId());
    }

    public Uni<Boolean> firstDelivery(String sender, String messageId) {
        if (sender == null || sender.isBlank() || LEGACY_SENDER.equals(sender)) {
            throw new IllegalArgumentException("a verified sender is required");
        }
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery(INSERT)
                        .setParameter("sender", sender)
                        .setParameter("id", messageId)
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }
}
