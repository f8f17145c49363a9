package org.villagehomepage.payments.checkout.stripe;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.CheckoutSettings;
import org.villagehomepage.payments.checkout.listing.Listing;
import org.villagehomepage.payments.checkout.listing.ListingRepository;
import org.villagehomepage.payments.checkout.listing.ListingStatus;
import org.villagehomepage.payments.checkout.payment.Payment;
import org.villagehomepage.payments.checkout.payment.PaymentPurpose;
import org.villagehomepage.payments.checkout.payment.PaymentRepository;
import org.villagehomepage.payments.checkout.payment.PaymentStatus;
import org.villagehomepage.payments.checkout.payment.RefundReason;
import org.villagehomepage.payments.checkout.payment.RefundRequests;
import org.villagehomepage.payments.checkout.promotion.PromotionService;
import org.villagehomepage.payments.checkout.promotion.PromotionType;
import org.villagehomepage.payments.checkout.web.Audits;
import org.villagehomepage.payments.common.panache.AuditTrail;
import org.villagehomepage.payments.common.panache.InboxGuard;

/**
 * Applies {@code payment_intent.*} events, each once (inbox guard on the event id) and in any
 * order: {@code succeeded} is final, and a late {@code payment_failed} or {@code canceled} cannot
 * undo it. Listing, then payment, are locked in that order (as everywhere) so concurrent events,
 * checkouts and moderation of one listing queue up instead of racing.
 */
@ApplicationScoped
public class PaymentEventService {

    private static final Logger LOG = Logger.getLogger(PaymentEventService.class);

    private final InboxGuard inbox;
    private final PaymentRepository payments;
    private final ListingRepository listings;
    private final PromotionService promotions;
    private final RefundRequests refunds;
    private final AuditTrail audit;
    private final CheckoutSettings settings;

    public PaymentEventService(
            InboxGuard inbox,
            PaymentRepository payments,
            ListingRepository listings,
            PromotionService promotions,
            RefundRequests refunds,
            AuditTrail audit,
            CheckoutSettings settings) {
        this.inbox = inbox;
        this.payments = payments;
        this.listings = listings;
        this.promotions = promotions;
        this.refunds = refunds;
        this.audit = audit;
        this.settings = settings;
    }

    @WithTransaction
    public Uni<EventResult> apply(StripeEvent event, String sender) {
        if (!StripeEvent.isPaymentIntentEvent(event.type())) {
            return Uni.createFrom().item(EventResult.of(EventResult.IGNORED));
        }
        return inbox.firstDelivery(sender, "stripe-event:" + event.id())
                .chain(first -> !first
                        ? Uni.createFrom().item(EventResult.of(EventResult.DUPLICATE))
                        : payments.findForEvent(event.intentId(), event.paymentIdFromMetadata())
                                .chain(found -> found == null
                                        ? notOurs(event)
                                        : listings.lock(found.listingId)
                                                .chain(listing -> payments.lock(found)
                                                        .chain(payment -> route(event, listing, payment)))));
    }

    private Uni<EventResult> route(StripeEvent event, Listing listing, Payment payment) {
        if (payment.paymentIntentId == null) {
            // The event overtook the checkout that was about to record this intent.
            payment.paymentIntentId = event.intentId();
        }
        return switch (event.type()) {
            case StripeEvent.SUCCEEDED -> succeeded(event, listing, payment);
            case StripeEvent.FAILED ->
                closed(event, payment, PaymentStatus.FAILED, "payment.failed", EventResult.FAILED);
            default -> closed(event, payment, PaymentStatus.CANCELED, "payment.canceled", EventResult.CANCELED);
        };
    }

    private Uni<EventResult> succeeded(StripeEvent event, Listing listing, Payment payment) {
        if (payment.status == PaymentStatus.SUCCEEDED || payment.status == PaymentStatus.MISMATCH) {
            return Uni.createFrom().item(EventResult.of(EventResult.UNCHANGED));
        }
        if (!matches(event, payment)) {
            return mismatch(event, payment);
        }
        payment.moveTo(PaymentStatus.SUCCEEDED);
        payment.succeededAt = OffsetDateTime.now();
        return audit.record(Audits.byStripe("payment.succeeded", Audits.SUCCESS, event.id())
                        .listing(listing.id)
                        .paymentIntent(payment.paymentIntentId)
                        .amount(payment.amount, payment.currency)
                        .details(Map.of("purpose", payment.purpose.value(), "paymentId", payment.id.toString())))
                .chain(() -> deliver(event, listing, payment))
                .replaceWith(new EventResult(EventResult.SUCCEEDED, payment.purpose, payment.amount, payment.currency));
    }

    /** Gives the buyer what was paid for; if the listing can no longer take it, the money goes back. */
    private Uni<Void> deliver(StripeEvent event, Listing listing, Payment payment) {
        if (payment.purpose == PaymentPurpose.POSTING_FEE && listing.status == ListingStatus.PENDING_PAYMENT) {
            listing.activate(settings.listingLifetime(), payment.id);
            LOG.infof("Activated listing after payment: listingId=%s, expiresAt=%s", listing.id, listing.expiresAt);
            return audit.record(Audits.byStripe("listing.activated", Audits.SUCCESS, event.id())
                    .listing(listing.id)
                    .paymentIntent(payment.paymentIntentId)
                    .details(Map.of("expiresAt", listing.expiresAt.toString())));
        }
        if (payment.purpose != PaymentPurpose.POSTING_FEE && listing.status == ListingStatus.ACTIVE) {
            PromotionType type =
                    payment.purpose == PaymentPurpose.PROMOTION_FEATURED ? PromotionType.FEATURED : PromotionType.BUMP;
            return promotions.apply(listing, payment, type, event.id()).replaceWithVoid();
        }
        LOG.warnf(
                "Paid %s for listing %s in status %s: requesting a refund",
                payment.purpose.value(), listing.id, listing.status.value());
        return refunds.request(payment, RefundReason.TECHNICAL_FAILURE)
                .chain(requested -> audit.record(Audits.byStripe("payment.succeeded", Audits.FAILURE, event.id())
                        .listing(listing.id)
                        .paymentIntent(payment.paymentIntentId)
                        .amount(payment.amount, payment.currency)
                        .details(Map.of(
                                "purpose",
                                payment.purpose.value(),
                                "listingStatus",
                                listing.status.value(),
                                "refund",
                                RefundReason.TECHNICAL_FAILURE.value()))));
    }

    /** Nothing is activated; the payment is closed as a mismatch, counted, audited and logged for the alert. */
    private Uni<EventResult> mismatch(StripeEvent event, Payment payment) {
        payment.moveTo(PaymentStatus.MISMATCH);
        LOG.errorf(
                "Amount mismatch on %s: paymentId=%s, expected %d %s, Stripe reported %d %s (metadata %s)",
                event.intentId(),
                payment.id,
                payment.amount,
                payment.currency,
                event.amountReceived(),
                event.currency(),
                metadataDiffers(event, payment) ? "differs" : "matches");
        return audit.record(Audits.byStripe("payment.amount_mismatch", Audits.FAILURE, event.id())
                        .listing(payment.listingId)
                        .paymentIntent(event.intentId())
                        .amount(event.amountReceived(), event.currency())
                        .details(Map.of(
                                "expectedAmount",
                                Long.toString(payment.amount),
                                "expectedCurrency",
                                payment.currency,
                                "metadata",
                                metadataDiffers(event, payment) ? "differs" : "matches")))
                .replaceWith(new EventResult(
                        EventResult.AMOUNT_MISMATCH, payment.purpose, event.amountReceived(), event.currency()));
    }

    private Uni<EventResult> closed(
            StripeEvent event, Payment payment, PaymentStatus next, String action, String outcome) {
        if (!payment.status.isOpen() || payment.status == next) {
            return Uni.createFrom().item(EventResult.of(EventResult.UNCHANGED));
        }
        payment.moveTo(next);
        payment.failureCode = event.failureCode();
        LOG.infof(
                "Payment %s: paymentIntent=%s, listingId=%s, code=%s",
                next.value(), payment.paymentIntentId, payment.listingId, event.failureCode());
        return audit.record(Audits.byStripe(action, Audits.FAILURE, event.id())
                        .listing(payment.listingId)
                        .paymentIntent(payment.paymentIntentId)
                        .amount(payment.amount, payment.currency)
                        .details(Map.of(
                                "purpose", payment.purpose.value(), "code", String.valueOf(event.failureCode()))))
                .replaceWith(new EventResult(outcome, payment.purpose, payment.amount, payment.currency));
    }

    private static boolean matches(StripeEvent event, Payment payment) {
        return event.amountReceived() == payment.amount
                && event.amount() == payment.amount
                && payment.currency.equals(event.currency())
                && !metadataDiffers(event, payment);
    }

    private static boolean metadataDiffers(StripeEvent event, Payment payment) {
        Map<String, String> m = event.metadata();
        return !(Objects.equals(m.get("listing_id"), payment.listingId.toString())
                && Objects.equals(m.get("user_id"), payment.userId.toString())
                && Objects.equals(m.get("category_id"), payment.categoryId.toString())
                && Objects.equals(m.get("payment_type"), payment.purpose.value())
                && Objects.equals(m.get("payment_id"), payment.id.toString()));
    }

    /**
     * An intent checkout has no payment for (made in the Dashboard, by another product on the same
     * account, or whose row was lost): acknowledged and ignored, since refusing it would only make
     * the relay retry it into the dead list and fire the dead-letter alert.
     */
    private static Uni<EventResult> notOurs(StripeEvent event) {
        LOG.infof(
                "Ignored Stripe event %s (%s): %s is not a checkout payment",
                event.id(), event.type(), event.intentId());
        return Uni.createFrom().item(EventResult.of(EventResult.IGNORED));
    }
}
