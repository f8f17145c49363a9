package org.villagehomepage.payments.checkout.listing;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.hibernate.LockMode;
import org.villagehomepage.payments.common.problem.ProblemException;

@ApplicationScoped
public class ListingRepository implements PanacheRepositoryBase<Listing, UUID> {

    /** Someone else's listing is answered exactly like a missing one. */
    public Uni<Listing> findOwned(UUID listingId, UUID ownerId) {
        return findById(listingId).map(listing -> ownedOrNotFound(listing, ownerId));
    }

    /** Row-locked (SELECT ... FOR UPDATE); every flow loads its listing here first, so the state read is current. */
    public Uni<Listing> lock(UUID listingId) {
        return findById(listingId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Active listings past their end, locked; rows another replica holds are skipped, not waited for. */
    public Uni<List<Listing>> lockExpired(OffsetDateTime now, int limit) {
        return getSession()
                .chain(session -> session.createSelectionQuery(
                                "from Listing where status = :status and expiresAt < :now order by expiresAt",
                                Listing.class)
                        .setParameter("status", ListingStatus.ACTIVE)
                        .setParameter("now", now)
                        .setLockMode(LockMode.UPGRADE_SKIPLOCKED)
                        .setMaxResults(limit)
                        .getResultList());
    }

    /** Someone else's listing is answered exactly like a missing one. */
    public static Listing ownedOrNotFound(Listing listing, UUID ownerId) {
        if (listing == null || !listing.isOwnedBy(ownerId)) {
            throw ProblemException.notFound("Listing");
        }
        return listing;
    }
}
