package org.villagehomepage.payments.common.outbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The receiving side of the outbox: remembers each message id in the receiver's transaction, so a
 * message delivered twice (relay retry, replica race, replay) changes state once.
 */
@ApplicationScoped
public class InboxGuard {

    /** True the first time this id is seen; call inside the transaction that applies the message. */
    public Uni<Boolean> firstDelivery(String messageId) {
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("INSERT INTO processed_message (message_id) VALUES (:id) ON CONFLICT DO NOTHING")
                .setParameter("id", messageId)
                .executeUpdate())
                .map(inserted -> inserted == 1);
    }
}
