package org.villagehomepage.payments.refund.request;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class RefundRequestRepository implements PanacheRepositoryBase<RefundRequest, UUID> {

    /**
     * The payment of a request without loading the entity: a managed entity read before its lock
     * would keep stale state after {@code FOR UPDATE}.
     */
    public Uni<String> paymentOf(UUID id) {
        return getSession().flatMap(session -> session
                .createSelectionQuery("select r.paymentIntentId from RefundRequest r where r.id = :id", String.class)
                .setParameter("id", id)
                .getSingleResultOrNull());
    }

    /** Call after locking the request's payment row (lock order: payment, then request). */
    public Uni<RefundRequest> lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public Uni<RefundRequest> findByStripeRefundId(String stripeRefundId) {
        return find("stripeRefundId", stripeRefundId).firstResult();
    }

    public Uni<List<RefundRequest>> byStatus(RefundStatus status, int limit) {
        return find("status = ?1 order by createdAt, id", status).page(0, limit).list();
    }

    public Uni<List<RefundRequest>> all(int limit) {
        return find("order by createdAt desc, id").page(0, limit).list();
    }

    public Uni<Boolean> hasOpenUserRequest(String paymentIntentId, UUID userId) {
        return count("paymentIntentId = ?1 and userId = ?2 and origin = ?3 and status in (?4)", paymentIntentId, userId,
                RefundOrigin.USER, List.of(RefundStatus.PENDING, RefundStatus.APPROVED, RefundStatus.FAILED))
                .map(n -> n > 0);
    }

    /** Approved requests whose Stripe call never finished (a crash between reservation and Stripe). */
    public Uni<List<RefundRequest>> stuckApproved(Instant before, int limit) {
        return find("status = ?1 and updatedAt < ?2 order by updatedAt", RefundStatus.APPROVED, before)
                .page(0, limit).list();
    }

    public Uni<Long> pendingCount() {
        return count("status", RefundStatus.PENDING);
    }
}
