package org.villagehomepage.payments.checkout.promotion;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.checkout.CheckoutSettings;
import org.villagehomepage.payments.checkout.listing.Listing;
import org.villagehomepage.payments.checkout.payment.Payment;
import org.villagehomepage.payments.checkout.web.Audits;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.outbox.QueueScans;

/**
 * Applies paid promotions and ends featured ones. Featured bought while a featured period is
 * running extends it: the new 7 days start where the current period ends.
 */
@ApplicationScoped
public class PromotionService {

    private final Pool pool;
    private final AuditTrail audit;
    private final CheckoutSettings settings;

    public PromotionService(Pool pool, AuditTrail audit, CheckoutSettings settings) {
        this.pool = pool;
        this.audit = audit;
        this.settings = settings;
    }

    /**
     * The promotion a succeeded payment buys, for the caller to store in the transaction that marks
     * the payment succeeded; the locked listing is updated in memory (featured until, bumped at).
     */
    public Promotion start(Listing listing, Payment payment, PromotionType type) {
        OffsetDateTime now = OffsetDateTime.now();
        Promotion promotion = new Promotion();
        promotion.id = UUID.randomUUID();
        promotion.listingId = listing.id;
        promotion.paymentId = payment.id;
        promotion.type = type;
        promotion.amount = payment.amount;
        promotion.currency = payment.currency;
        promotion.status = PromotionStatus.ACTIVE;
        promotion.createdAt = now;
        if (type == PromotionType.FEATURED) {
            OffsetDateTime start =
                    listing.featuredUntil != null && listing.featuredUntil.isAfter(now) ? listing.featuredUntil : now;
            promotion.startsAt = start;
            promotion.expiresAt = start.plus(settings.promotions().featuredDuration());
            listing.featuredUntil = promotion.expiresAt;
        } else {
            promotion.startsAt = now;
            listing.lastBumpedAt = now;
        }
        listing.updatedAt = now;
        return promotion;
    }

    /** The audit event of a promotion that {@link #start} began. */
    public static AuditEvent.Builder activated(Promotion promotion, Payment payment, String eventId) {
        return Audits.byStripe("promotion.activated", Audits.SUCCESS, eventId)
                .listing(promotion.listingId)
                .paymentIntent(payment.paymentIntentId)
                .amount(payment.amount, payment.currency)
                .details(expiry(promotion));
    }

    /**
     * One batch of featured promotions past their end, in one transaction; safe with several replicas (SKIP LOCKED).
     * A queue scan (promotion_expiry), planned with its parameters every time.
     */
    public Uni<List<Promotion>> expireDue(int batchSize) {
        String requestId = RequestIds.current();
        return QueueScans.inTransaction(
                pool,
                tx -> PromotionRows.lockExpired(tx, OffsetDateTime.now(), batchSize)
                        .chain(due -> Multi.createFrom()
                                .iterable(due)
                                .onItem()
                                .transformToUniAndConcatenate(promotion -> {
                                    promotion.status = PromotionStatus.EXPIRED;
                                    return PromotionRows.updateStatus(tx, promotion)
                                            .chain(() -> audit.record(
                                                    tx,
                                                    Audits.bySystem("promotion.expired")
                                                            .listing(promotion.listingId)
                                                            .details(Map.of(
                                                                    "type",
                                                                    promotion.type.value(),
                                                                    "expiresAt",
                                                                    promotion.expiresAt.toString())),
                                                    requestId));
                                })
                                .collect()
                                .asList()
                                .map(done -> due)));
    }

    private static Map<String, String> expiry(Promotion promotion) {
        return promotion.expiresAt == null
                ? Map.of("type", promotion.type.value())
                : Map.of(
                        "type",
                        promotion.type.value(),
                        "startsAt",
                        promotion.startsAt.toString(),
                        "expiresAt",
                        promotion.expiresAt.toString());
    }
}
