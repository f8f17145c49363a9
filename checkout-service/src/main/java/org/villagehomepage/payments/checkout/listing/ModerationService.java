package org.villagehomepage.payments.checkout.listing;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.payment.PaymentRepository;
import org.villagehomepage.payments.checkout.payment.RefundReason;
import org.villagehomepage.payments.checkout.payment.RefundRequests;
import org.villagehomepage.payments.checkout.web.Audits;
import org.villagehomepage.payments.common.cards.CardNumbers;
import org.villagehomepage.payments.common.panache.AuditTrail;
import org.villagehomepage.payments.common.problem.ProblemException;

/**
 * Moderation rejects a listing. For its paid posting fee and each paid promotion, refund-service
 * gets an automatic refund request in the same transaction. A posting fee paid after the rejection is refunded
 * when its success event arrives (reason technical_failure).
 */
@ApplicationScoped
public class ModerationService {

    private static final Logger LOG = Logger.getLogger(ModerationService.class);

    private final ListingRepository listings;
    private final PaymentRepository payments;
    private final RefundRequests refunds;
    private final AuditTrail audit;

    public ModerationService(
            ListingRepository listings, PaymentRepository payments, RefundRequests refunds, AuditTrail audit) {
        this.listings = listings;
        this.payments = payments;
        this.refunds = refunds;
        this.audit = audit;
    }

    /** True when this call rejected the listing; false when it was already rejected (or the message seen). */
    @WithTransaction
    public Uni<Boolean> reject(UUID listingId, String reason, String adminId, String sourceIp) {
        return listings.lock(listingId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("Listing"))
                .chain(listing -> listing.status == ListingStatus.REJECTED
                        ? Uni.createFrom().item(false)
                        : rejectNow(listing, CardNumbers.redact(reason), adminId, sourceIp));
    }

    private Uni<Boolean> rejectNow(Listing listing, String reason, String adminId, String sourceIp) {
        String previous = listing.status.value();
        listing.moveTo(ListingStatus.REJECTED);
        LOG.infof("Listing rejected by moderation: listingId=%s (was %s), admin=%s", listing.id, previous, adminId);
        // the posting fee and every paid promotion: nothing bought for a rejected listing is kept
        return payments.lockRefundable(listing.id)
                .chain(paid -> Multi.createFrom()
                        .iterable(paid)
                        .onItem()
                        .transformToUniAndConcatenate(
                                payment -> refunds.request(payment, RefundReason.MODERATION_REJECTION))
                        .collect()
                        .asList()
                        .map(requested -> requested.contains(true)))
                .call(refundRequested ->
                        audit.record(Audits.byAdmin("listing.rejected", Audits.SUCCESS, adminId, sourceIp)
                                .listing(listing.id)
                                .details(Map.of(
                                        "reason",
                                        String.valueOf(reason),
                                        "previousStatus",
                                        previous,
                                        "refundRequested",
                                        refundRequested.toString()))))
                .replaceWith(true);
    }
}
