package org.villagehomepage.payments.checkout.promotion;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.hibernate.LockMode;

@ApplicationScoped
public class PromotionRepository implements PanacheRepositoryBase<Promotion, UUID> {

    public Uni<List<Promotion>> listForListing(UUID listingId) {
        return list("listingId", Sort.by("startsAt"), listingId);
    }

    /** Featured promotions past their end, locked; rows another replica holds are skipped. */
    public Uni<List<Promotion>> lockExpired(OffsetDateTime now, int limit) {
        return getSession()
                .chain(session -> session.createSelectionQuery(
                                "from Promotion where status = :status and type = :type and expiresAt < :now order by expiresAt",
                                Promotion.class)
                        .setParameter("status", PromotionStatus.ACTIVE)
                        .setParameter("type", PromotionType.FEATURED)
                        .setParameter("now", now)
                        .setLockMode(LockMode.UPGRADE_SKIPLOCKED)
                        .setMaxResults(limit)
                        .getResultList());
    }

    public Uni<Boolean> existsForPayment(UUID paymentId) {
        return count("paymentId", paymentId).map(n -> n > 0);
    }
}
