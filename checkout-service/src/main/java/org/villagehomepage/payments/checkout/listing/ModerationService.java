package org.villagehomepage.payments.checkout.listing;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.payment.PaymentRows;
import org.villagehomepage.payments.checkout.payment.RefundReason;
import org.villagehomepage.payments.checkout.payment.RefundRequests;
import org.villagehomepage.payments.checkout.web.Audits;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.cards.CardNumbers;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.problem.ProblemException;

/**
 * Moderation rejects a listing. For its paid posting fee and each paid promotion, refund-service
 * gets an automatic refund request in the same transaction. A posting fee paid after the rejection is refunded
 * when its success event arrives (reason technical_failure).
 */
@ApplicationScoped
public class ModerationService {

    private static final Logger LOG = Logger.getLogger(ModerationService.class);

    private final Pool pool;
    private final RefundRequests refunds;
    private final AuditTrail audit;

    public ModerationService(Pool pool, RefundRequests refunds, AuditTrail audit) {
        this.pool = pool;
        this.refunds = refunds;
        this.audit = audit;
    }

    /** True when this call rejected the listing; false when it was already rejected (or the message seen). */
    public Uni<Boolean> reject(UUID listingId, String reason, String adminId, String sourceIp) {
        String requestId = RequestIds.current();
        // listing first, then its payments: the lock order of checkout and the Stripe events
        return pool.withTransaction(tx -> ListingRows.lock(tx, listingId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("Listing"))
                .chain(listing -> listing.status == ListingStatus.REJECTED
                        ? Uni.createFrom().item(false)
                        : rejectNow(tx, listing, CardNumbers.redact(reason), adminId, sourceIp, requestId)));
    }

    private Uni<Boolean> rejectNow(
            SqlConnection tx, Listing listing, String reason, String adminId, String sourceIp, String requestId) {
        String previous = listing.status.value();
        listing.moveTo(ListingStatus.REJECTED);
        LOG.infof("Listing rejected by moderation: listingId=%s (was %s), admin=%s", listing.id, previous, adminId);
        // the posting fee and every paid promotion: nothing bought for a rejected listing is kept
        return ListingRows.update(tx, listing)
                .chain(() -> PaymentRows.lockRefundable(tx, listing.id))
                .chain(paid -> Multi.createFrom()
                        .iterable(paid)
                        .onItem()
                        .transformToUniAndConcatenate(
                                payment -> refunds.request(tx, payment, RefundReason.MODERATION_REJECTION))
                        .collect()
                        .asList()
                        .map(requested -> requested.contains(true)))
                .call(refundRequested -> audit.record(
                        tx,
                        Audits.byAdmin("listing.rejected", Audits.SUCCESS, adminId, sourceIp)
                                .listing(listing.id)
                                .details(Map.of(
                                        "reason",
                                        String.valueOf(reason),
                                        "previousStatus",
                                        previous,
                                        "refundRequested",
                                        refundRequested.toString())),
                        requestId))
                .replaceWith(true);
    }
}
