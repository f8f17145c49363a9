package org.villagehomepage.payments.checkout.stripe;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.CheckoutSettings;
import org.villagehomepage.payments.checkout.listing.Listing;
import org.villagehomepage.payments.checkout.listing.ListingStatus;
import org.villagehomepage.payments.checkout.payment.Payment;
import org.villagehomepage.payments.checkout.payment.PaymentPurpose;
import org.villagehomepage.payments.checkout.payment.PaymentStatus;
import org.villagehomepage.payments.checkout.payment.RefundReason;
import org.villagehomepage.payments.checkout.payment.RefundRequests;
import org.villagehomepage.payments.checkout.promotion.Promotion;
import org.villagehomepage.payments.checkout.promotion.PromotionService;
import org.villagehomepage.payments.checkout.promotion.PromotionType;
import org.villagehomepage.payments.checkout.web.Audits;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.outbox.SqlOutbox;

/**
 * Applies {@code payment_intent.*} events, each once (inbox on the sender and event id) and in any
 * order: {@code succeeded} is final, and a late {@code payment_failed} or {@code canceled} cannot
 * undo it. Listing, then payment, are locked in that order (as everywhere) so concurrent events,
 * checkouts and moderation of one listing queue up instead of racing. One transaction on the
 * reactive SQL client ({@link PaymentEventStore}); the decisions below change the rows in memory and
 * collect the messages, and {@link PaymentEventStore#saveAll} writes them at the end.
 */
@ApplicationScoped
public class PaymentEventService {

    private static final Logger LOG = Logger.getLogger(PaymentEventService.class);

    private final Pool pool;
    private final PaymentEventStore store;
    private final PromotionService promotions;
    private final CheckoutSettings settings;
    private final String service;

    public PaymentEventService(
            Pool pool,
            PaymentEventStore store,
            PromotionService promotions,
            CheckoutSettings settings,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        this.pool = pool;
        this.store = store;
        this.promotions = promotions;
        this.settings = settings;
        this.service = service;
    }

    /** What one event changes, written with the batch's by {@link PaymentEventStore#saveAll}. */
    private static final class Effects {
        final Listing listing;
        final Payment payment;
        final List<AuditEvent.Builder> audits = new ArrayList<>(2);
        final List<SqlOutbox.Message> messages = new ArrayList<>(2);
        boolean listingChanged;
        boolean intentRecorded;
        /** Anything to write: the event changed the payment (or recorded its intent id). */
        boolean changed;

        Promotion promotion;

        Effects(Listing listing, Payment payment) {
            this.listing = listing;
            this.payment = payment;
        }
    }

    /** One event: a batch of one (the same statements, locks and decisions). */
    public Uni<EventResult> apply(StripeEvent event, String sender) {
        if (!StripeEvent.isPaymentIntentEvent(event.type())) {
            return Uni.createFrom().item(EventResult.of(EventResult.IGNORED));
        }
        return applyTogether(List.of(event), sender).map(results -> results.get(0));
    }

    /**
     * Events in one transaction of at most seven statements whatever their number (a relayed batch,
     * or one event): the claims and lookups, the listings and then the payments locked in id order,
     * the writes over arrays ({@link PaymentEventStore}). Each event is decided in the batch's order
     * on the locked rows held in memory, so two events of one payment see each other as in two
     * transactions. A later copy of an event id in the batch is a duplicate. Fails as a whole,
     * nothing applied, on any error (a row gone, a deadlock, Postgres away): for a batch, the caller
     * then applies each event alone.
     */
    public Uni<List<EventResult>> applyTogether(List<StripeEvent> batch, String sender) {
        if (sender == null || sender.isBlank() || "legacy".equals(sender)) {
            return Uni.createFrom().failure(new IllegalArgumentException("a verified sender is required"));
        }
        EventResult[] results = new EventResult[batch.size()];
        List<Integer> toClaim = new ArrayList<>(batch.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            StripeEvent event = batch.get(i);
            if (!StripeEvent.isPaymentIntentEvent(event.type())) {
                results[i] = EventResult.of(EventResult.IGNORED);
            } else if (!seen.add(event.id())) {
                results[i] = EventResult.of(EventResult.DUPLICATE);
            } else {
                toClaim.add(i);
            }
        }
        if (toClaim.isEmpty()) {
            return Uni.createFrom().item(List.of(results));
        }
        String requestId = RequestIds.current();
        List<String> messageIds = new ArrayList<>(toClaim.size());
        List<String> intentIds = new ArrayList<>(toClaim.size());
        List<UUID> metadataIds = new ArrayList<>(toClaim.size());
        for (int i : toClaim) {
            messageIds.add("stripe-event:" + batch.get(i).id());
            intentIds.add(batch.get(i).intentId());
            metadataIds.add(batch.get(i).paymentIdFromMetadata());
        }
        return pool.withTransaction(connection -> store.claimAll(connection, sender, messageIds, intentIds, metadataIds)
                        .chain(claims -> {
                            Map<Integer, PaymentEventStore.Claim> ours = new LinkedHashMap<>();
                            for (int k = 0; k < toClaim.size(); k++) {
                                int i = toClaim.get(k);
                                PaymentEventStore.Claim claim = claims.get(k);
                                if (!claim.first()) {
                                    results[i] = EventResult.of(EventResult.DUPLICATE);
                                } else if (claim.paymentId() == null) {
                                    logNotOurs(batch.get(i));
                                    results[i] = EventResult.of(EventResult.IGNORED);
                                } else {
                                    ours.put(i, claim);
                                }
                            }
                            if (ours.isEmpty()) {
                                return Uni.createFrom().voidItem();
                            }
                            Set<UUID> listingIds = new HashSet<>();
                            Set<UUID> paymentIds = new HashSet<>();
                            ours.values().forEach(claim -> {
                                listingIds.add(claim.listingId());
                                paymentIds.add(claim.paymentId());
                            });
                            return store.lockListings(connection, listingIds)
                                    .chain(listings -> store.lockPayments(connection, paymentIds)
                                            .chain(payments -> applyLockedTogether(
                                                    connection, batch, ours, listings, payments, results, requestId)));
                        }))
                .map(done -> List.of(results));
    }

    private Uni<Void> applyLockedTogether(
            SqlConnection connection,
            List<StripeEvent> batch,
            Map<Integer, PaymentEventStore.Claim> ours,
            Map<UUID, Listing> listings,
            Map<UUID, Payment> payments,
            EventResult[] results,
            String requestId) {
        Map<UUID, Payment> changedPayments = new LinkedHashMap<>();
        Map<UUID, Listing> changedListings = new LinkedHashMap<>();
        List<Promotion> promotions = new ArrayList<>();
        List<SqlOutbox.Message> messages = new ArrayList<>();
        for (Map.Entry<Integer, PaymentEventStore.Claim> entry : ours.entrySet()) {
            Listing listing = listings.get(entry.getValue().listingId());
            Payment payment = payments.get(entry.getValue().paymentId());
            if (listing == null || payment == null) {
                return Uni.createFrom().failure(new IllegalStateException("payment or listing row vanished"));
            }
            Effects effects = new Effects(listing, payment);
            results[entry.getKey()] = decide(batch.get(entry.getKey()), effects, requestId);
            if (effects.changed) {
                changedPayments.put(payment.id, payment);
                if (effects.listingChanged) {
                    changedListings.put(listing.id, listing);
                }
                if (effects.promotion != null) {
                    promotions.add(effects.promotion);
                }
                messages.addAll(effects.messages);
            }
        }
        return store.saveAll(connection, changedPayments.values(), changedListings.values(), promotions, messages);
    }

    /**
     * Decides one event on its locked rows: changes them in memory and collects the audit message
     * ({@code effects.changed} when there is anything to write).
     */
    private EventResult decide(StripeEvent event, Effects effects, String requestId) {
        if (effects.payment.paymentIntentId != null && !effects.payment.paymentIntentId.equals(event.intentId())) {
            // Found by its metadata while it had no intent, and an intent other than this one was
            // recorded since (earlier in the batch, or by a checkout before the lock): a payment
            // belongs to one intent, so this one is not ours, exactly as a later lookup would find.
            logNotOurs(event);
            return EventResult.of(EventResult.IGNORED);
        }
        EventResult result = route(event, effects);
        effects.changed = !EventResult.UNCHANGED.equals(result.outcome()) || effects.intentRecorded;
        if (effects.changed && !effects.audits.isEmpty()) {
            // The event's audit entries travel in one message (audit-service takes a list).
            List<AuditEvent> built = effects.audits.stream()
                    .map(audit -> audit.build(service, requestId))
                    .toList();
            effects.messages.add(new SqlOutbox.Message(
                    UUID.randomUUID(), AuditEvent.DESTINATION, AuditEvent.PATH, Map.of("events", built), requestId));
        }
        return result;
    }

    private EventResult route(StripeEvent event, Effects effects) {
        if (effects.payment.paymentIntentId == null) {
            // The event overtook the checkout that was about to record this intent.
            effects.payment.paymentIntentId = event.intentId();
            effects.intentRecorded = true;
        }
        return switch (event.type()) {
            case StripeEvent.SUCCEEDED -> succeeded(event, effects);
            case StripeEvent.FAILED ->
                closed(event, effects, PaymentStatus.FAILED, "payment.failed", EventResult.FAILED);
            default -> closed(event, effects, PaymentStatus.CANCELED, "payment.canceled", EventResult.CANCELED);
        };
    }

    private EventResult succeeded(StripeEvent event, Effects effects) {
        Payment payment = effects.payment;
        if (payment.status == PaymentStatus.SUCCEEDED || payment.status == PaymentStatus.MISMATCH) {
            return EventResult.of(EventResult.UNCHANGED);
        }
        if (!matches(event, payment)) {
            return mismatch(event, effects);
        }
        payment.moveTo(PaymentStatus.SUCCEEDED);
        payment.succeededAt = OffsetDateTime.now();
        effects.audits.add(Audits.byStripe("payment.succeeded", Audits.SUCCESS, event.id())
                .listing(effects.listing.id)
                .paymentIntent(payment.paymentIntentId)
                .amount(payment.amount, payment.currency)
                .details(Map.of("purpose", payment.purpose.value(), "paymentId", payment.id.toString())));
        deliver(event, effects);
        return new EventResult(EventResult.SUCCEEDED, payment.purpose, payment.amount, payment.currency);
    }

    /** Gives the buyer what was paid for; if the listing can no longer take it, the money goes back. */
    private void deliver(StripeEvent event, Effects effects) {
        Listing listing = effects.listing;
        Payment payment = effects.payment;
        if (payment.purpose == PaymentPurpose.POSTING_FEE && listing.status == ListingStatus.PENDING_PAYMENT) {
            listing.activate(settings.listingLifetime(), payment.id);
            effects.listingChanged = true;
            LOG.infof("Activated listing after payment: listingId=%s, expiresAt=%s", listing.id, listing.expiresAt);
            effects.audits.add(Audits.byStripe("listing.activated", Audits.SUCCESS, event.id())
                    .listing(listing.id)
                    .paymentIntent(payment.paymentIntentId)
                    .details(Map.of("expiresAt", listing.expiresAt.toString())));
            return;
        }
        if (payment.purpose != PaymentPurpose.POSTING_FEE && listing.status == ListingStatus.ACTIVE) {
            PromotionType type =
                    payment.purpose == PaymentPurpose.PROMOTION_FEATURED ? PromotionType.FEATURED : PromotionType.BUMP;
            effects.promotion = promotions.start(listing, payment, type);
            effects.listingChanged = true;
            effects.audits.add(PromotionService.activated(effects.promotion, payment, event.id()));
            return;
        }
        LOG.warnf(
                "Paid %s for listing %s in status %s: requesting a refund",
                payment.purpose.value(), listing.id, listing.status.value());
        RefundRequests.prepare(payment, RefundReason.TECHNICAL_FAILURE).ifPresent(effects.messages::add);
        effects.audits.add(Audits.byStripe("payment.succeeded", Audits.FAILURE, event.id())
                .listing(listing.id)
                .paymentIntent(payment.paymentIntentId)
                .amount(payment.amount, payment.currency)
                .details(Map.of(
                        "purpose",
                        payment.purpose.value(),
                        "listingStatus",
                        listing.status.value(),
                        "refund",
                        RefundReason.TECHNICAL_FAILURE.value())));
    }

    /** Nothing is activated; the payment is closed as a mismatch, counted, audited and logged for the alert. */
    private EventResult mismatch(StripeEvent event, Effects effects) {
        Payment payment = effects.payment;
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
        effects.audits.add(Audits.byStripe("payment.amount_mismatch", Audits.FAILURE, event.id())
                .listing(payment.listingId)
                .paymentIntent(event.intentId())
                .amount(event.amountReceived(), event.currency())
                .details(Map.of(
                        "expectedAmount",
                        Long.toString(payment.amount),
                        "expectedCurrency",
                        payment.currency,
                        "metadata",
                        metadataDiffers(event, payment) ? "differs" : "matches")));
        return new EventResult(EventResult.AMOUNT_MISMATCH, payment.purpose, event.amountReceived(), event.currency());
    }

    private EventResult closed(StripeEvent event, Effects effects, PaymentStatus next, String action, String outcome) {
        Payment payment = effects.payment;
        if (!payment.status.isOpen() || payment.status == next) {
            return EventResult.of(EventResult.UNCHANGED);
        }
        payment.moveTo(next);
        payment.failureCode = event.failureCode();
        LOG.infof(
                "Payment %s: paymentIntent=%s, listingId=%s, code=%s",
                next.value(), payment.paymentIntentId, payment.listingId, event.failureCode());
        effects.audits.add(Audits.byStripe(action, Audits.FAILURE, event.id())
                .listing(payment.listingId)
                .paymentIntent(payment.paymentIntentId)
                .amount(payment.amount, payment.currency)
                .details(Map.of("purpose", payment.purpose.value(), "code", String.valueOf(event.failureCode()))));
        return new EventResult(outcome, payment.purpose, payment.amount, payment.currency);
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
    private static void logNotOurs(StripeEvent event) {
        LOG.infof(
                "Ignored Stripe event %s (%s): %s is not a checkout payment",
                event.id(), event.type(), event.intentId());
    }
}
