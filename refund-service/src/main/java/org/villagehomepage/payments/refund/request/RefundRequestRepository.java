package org.villagehomepage.payments.refund.request;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class RefundRequestRepository implements PanacheRepositoryBase<RefundRequest, UUID> {

    /**
     * The payment of a request without loading the entity: a managed entity read before its lock
     * would keep stale state after {@code FOR UPDATE}.
     */
    public Uni<String> paymentOf(UUID id) {
        return getSession()
                .flatMap(session -> session.createSelectionQuery(
                                "select r.paymentIntentId from RefundRequest r where r.id = :id", String.class)
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

    /** {@code offset} rows are skipped; the order is total (id breaks ties), so pages never overlap. */
    public Uni<List<RefundRequest>> byStatus(RefundStatus status, int offset, int limit) {
        return find("status = ?1 order by createdAt, id", status)
                .range(offset, offset + limit - 1)
                .list();
    }

    public Uni<List<RefundRequest>> all(int offset, int limit) {
        return find("order by createdAt desc, id")
                .range(offset, offset + limit - 1)
                .list();
    }

    public Uni<Boolean> hasOpenUserRequest(String paymentIntentId, UUID userId) {
        return count(
                        "paymentIntentId = ?1 and userId = ?2 and origin = ?3 and status in (?4)",
                        paymentIntentId,
                        userId,
                        RefundOrigin.USER,
                        List.of(RefundStatus.PENDING, RefundStatus.APPROVED, RefundStatus.FAILED))
                .map(n -> n > 0);
    }

    /**
     * Claims up to {@code limit} approved requests untouched since {@code before} whose recovery is
     * due, oldest due first, and pushes each one's next due time back ({@code base} doubled per
     * earlier check, at most {@code max}): a refund still pending at Stripe is asked about less and
     * less often and never keeps the others from their turn. SKIP LOCKED lets replicas share the work.
     */
    public Uni<List<UUID>> claimStuck(Instant before, Instant now, int limit, Duration base, Duration max) {
        return getSession()
                .flatMap(session -> session.createNativeQuery("""
                UPDATE refund_request r SET recovery_checks = r.recovery_checks + 1,
                    recovery_due_at = CAST(:now AS timestamptz) + make_interval(secs => least(CAST(:max AS double precision),
                        CAST(:base AS double precision) * power(2, least(r.recovery_checks, 20))))
                WHERE r.id IN (SELECT id FROM refund_request
                               WHERE status = 'approved' AND updated_at < CAST(:before AS timestamptz)
                                 AND (recovery_due_at IS NULL OR recovery_due_at <= CAST(:now AS timestamptz))
                               ORDER BY coalesce(recovery_due_at, updated_at), id
                               LIMIT CAST(:limit AS integer) FOR UPDATE SKIP LOCKED)
                RETURNING r.id""", UUID.class)
                        .setParameter("now", now.atOffset(ZoneOffset.UTC))
                        .setParameter("before", before.atOffset(ZoneOffset.UTC))
                        .setParameter("limit", limit)
                        .setParameter("base", (double) base.toSeconds())
                        .setParameter("max", (double) max.toSeconds())
                        .getResultList());
    }

    public Uni<List<RefundRequest>> byIds(List<UUID> ids) {
        return ids.isEmpty() ? Uni.createFrom().item(List.of()) : list("id in ?1 order by updatedAt", ids);
    }

    public Uni<Long> pendingCount() {
        return count("status", RefundStatus.PENDING);
    }
}
