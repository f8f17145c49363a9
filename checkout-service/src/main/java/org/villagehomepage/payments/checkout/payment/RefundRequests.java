package org.villagehomepage.payments.checkout.payment;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.money.MinorUnitsDeserializer;
import org.villagehomepage.payments.common.outbox.SqlOutbox;

/**
 * Asks refund-service for an automatic refund, through the outbox in the caller's transaction (on its connection).
 * At most one request per payment: the payment row remembers it, and the message and request id
 * derive from the payment, so refund-service applies it once whatever happens.
 */
@ApplicationScoped
public class RefundRequests {

    public static final String DESTINATION = "refund";
    public static final String PATH = "/internal/refunds";
    private static final Logger LOG = Logger.getLogger(RefundRequests.class);

    private final SqlOutbox outbox;

    public RefundRequests(SqlOutbox outbox) {
        this.outbox = outbox;
    }

    @RegisterForReflection
    public record RefundRequest(
            UUID id,
            String paymentIntentId,
            UUID listingId,
            UUID userId,

            @JsonDeserialize(using = MinorUnitsDeserializer.class)
            long amount,

            String currency,
            String reason,
            OffsetDateTime paidAt) {}

    /**
     * Call with the payment locked, on the connection of the transaction that holds the lock: the
     * payment's mark and the message commit together. False when a refund was already requested for it.
     */
    public Uni<Boolean> request(SqlClient transaction, Payment payment, RefundReason reason) {
        return prepare(payment, reason)
                .map(message -> PaymentRows.updateRefundRequested(transaction, payment)
                        .chain(() -> outbox.enqueue(transaction, message))
                        .replaceWith(true))
                .orElseGet(() -> Uni.createFrom().item(false));
    }

    /**
     * Marks the locked payment as sent back and returns the message for refund-service, for the
     * caller to write in its transaction; empty when a refund was already requested for it.
     */
    public static Optional<SqlOutbox.Message> prepare(Payment payment, RefundReason reason) {
        if (payment.refundRequestedAt != null) {
            return Optional.empty();
        }
        payment.refundRequestedAt = OffsetDateTime.now();
        payment.refundReason = reason.value();
        payment.updatedAt = payment.refundRequestedAt;
        UUID id = SqlOutbox.idFor("checkout-refund:" + payment.id);
        RefundRequest body = new RefundRequest(
                id,
                payment.paymentIntentId,
                payment.listingId,
                payment.userId,
                payment.amount,
                payment.currency,
                reason.value(),
                payment.succeededAt);
        LOG.infof(
                "Requesting automatic refund: listingId=%s, paymentIntent=%s, amount=%d %s, reason=%s",
                payment.listingId, payment.paymentIntentId, payment.amount, payment.currency, reason.value());
        return Optional.of(new SqlOutbox.Message(id, DESTINATION, PATH, body, RequestIds.current()));
    }
}
