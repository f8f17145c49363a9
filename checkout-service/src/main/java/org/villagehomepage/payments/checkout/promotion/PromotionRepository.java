package org.villagehomepage.payments.checkout.promotion;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.hibernate.Timeouts;

@ApplicationScoped
public class PromotionRepository implements PanacheRepositoryBase<Promotion, UUID> {

    public Uni<List<Promotion>> listForListing(UUID listingId) {
        return list("listingId", Sort.by("startsAt"), listingId);
    }

    /** Featured promotions past their end, locked; rows another replica holds are skipped. */
    public Uni<List<Promotion>> lockExpired(OffsetDateTime now, int limit) {
        return find("status = ?1 and type = ?2 and expiresAt < ?3", Promotion.ACTIVE, PromotionType.FEATURED, now)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .withHint("jakarta.persistence.lock.timeout", Timeouts.SKIP_LOCKED_MILLI)
                .page(0, limit).list();
    }

    public Uni<Boolean> existsForPayment(UUID paymentId) {
        return count("paymentId", paymentId).map(n -> n > 0);
    }
}
