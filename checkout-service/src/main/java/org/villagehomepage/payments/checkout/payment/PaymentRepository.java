package org.villagehomepage.payments.checkout.payment;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class PaymentRepository implements PanacheRepositoryBase<Payment, UUID> {

    public Uni<Payment> findByIntent(String paymentIntentId) {
        return find("paymentIntentId", paymentIntentId).firstResult();
    }

    /**
     * The payment a Stripe event is about: by intent id, or by our id from the intent's metadata
     * when the event overtook the recording of the intent id.
     */
    public Uni<Payment> findForEvent(String paymentIntentId, UUID paymentIdFromMetadata) {
        return findByIntent(paymentIntentId)
                .chain(found -> found != null || paymentIdFromMetadata == null
                        ? Uni.createFrom().item(found)
                        : find("id = ?1 and paymentIntentId is null", paymentIdFromMetadata)
                                .firstResult());
    }

    public Uni<List<Payment>> listForListing(UUID listingId) {
        return list("listingId", Sort.by("createdAt"), listingId);
    }

    /** The paid posting fee of a listing not yet sent back for refund, locked. */
    /** Every succeeded payment of the listing (posting fee and promotions) not refunded yet, locked. */
    public Uni<java.util.List<Payment>> lockRefundable(UUID listingId) {
        return find(
                        "listingId = ?1 and status = ?2 and refundRequestedAt is null order by createdAt, id",
                        listingId,
                        PaymentStatus.SUCCEEDED)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .list();
    }
}
