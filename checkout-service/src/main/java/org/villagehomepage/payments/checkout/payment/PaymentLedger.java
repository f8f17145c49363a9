package org.villagehomepage.payments.checkout.payment;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.CheckoutSettings;
import org.villagehomepage.payments.checkout.category.CategoryRepository;
import org.villagehomepage.payments.checkout.listing.Listing;
import org.villagehomepage.payments.checkout.listing.ListingRepository;
import org.villagehomepage.payments.checkout.listing.ListingStatus;
import org.villagehomepage.payments.checkout.stripe.IntentSnapshot;
import org.villagehomepage.payments.checkout.web.Audits;
import org.villagehomepage.payments.checkout.web.Caller;
import org.villagehomepage.payments.common.panache.AuditTrail;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;

/**
 * The two short transactions around the Stripe call of a checkout: before it, find or open the one
 * payment of this listing and purpose (priced here, never from the request); after it, record the
 * PaymentIntent. No database connection is held while Stripe answers.
 */
@ApplicationScoped
public class PaymentLedger {

    private static final Logger LOG = Logger.getLogger(PaymentLedger.class);

    private final ListingRepository listings;
    private final CategoryRepository categories;
    private final PaymentRepository payments;
    private final AuditTrail audit;
    private final CheckoutSettings settings;

    public PaymentLedger(
            ListingRepository listings,
            CategoryRepository categories,
            PaymentRepository payments,
            AuditTrail audit,
            CheckoutSettings settings) {
        this.listings = listings;
        this.categories = categories;
        this.payments = payments;
        this.audit = audit;
        this.settings = settings;
    }

    /** The payment to charge; {@code payment} is null when nothing is due (the listing went live). */
    public record Prepared(Payment payment, String currency) {
        boolean free() {
            return payment == null;
        }
    }

    private record Price(long amount, String currency) {}

    @WithTransaction
    public Uni<Prepared> prepare(Caller caller, UUID listingId, PaymentPurpose purpose) {
        // The listing lock queues concurrent checkouts of one listing: the first opens the payment, the rest reuse it.
        return listings.lockOwned(listingId, caller.userId())
                .invoke(listing -> requirePayable(listing, purpose))
                .chain(listing -> reuseOrOpen(caller, listing, purpose));
    }

    /** The open payment of this listing and purpose is reused (same intent); otherwise one is opened at today's price. */
    private Uni<Prepared> reuseOrOpen(Caller caller, Listing listing, PaymentPurpose purpose) {
        return payments.findOpen(listing.id, purpose)
                .chain(open -> open != null
                        ? attempted(caller, open, true)
                        : price(listing, purpose).chain(price -> open(caller, listing, purpose, price)));
    }

    private Uni<Prepared> open(Caller caller, Listing listing, PaymentPurpose purpose, Price price) {
        if (price.amount() == 0) {
            return free(caller, listing, purpose, price);
        }
        Payment payment = Payment.open(
                listing.id, caller.userId(), listing.categoryId, purpose, price.amount(), price.currency());
        return payments.persist(payment).chain(created -> attempted(caller, created, false));
    }

    /** True when this call recorded the intent first (it is counted once, whichever request gets here first). */
    @WithTransaction
    public Uni<Boolean> recordIntent(Caller caller, Payment opened, IntentSnapshot intent) {
        return payments.lock(opened).chain(payment -> {
            if (payment.paymentIntentId != null && !payment.paymentIntentId.equals(intent.id())) {
                LOG.errorf(
                        "Payment %s already has intent %s, Stripe answered %s",
                        payment.id, payment.paymentIntentId, intent.id());
                throw new ProblemException(
                        ProblemType.PAYMENT_PROVIDER_MISMATCH, "The payment could not be prepared; please try again");
            }
            boolean first = payment.intentCreatedAt == null;
            payment.paymentIntentId = intent.id();
            if (first) {
                payment.intentCreatedAt = OffsetDateTime.now();
                LOG.infof(
                        "Created %s payment: listingId=%s, userId=%s, paymentIntent=%s",
                        payment.purpose.value(), payment.listingId, payment.userId, intent.id());
            }
            if (payment.status == PaymentStatus.CREATING) {
                payment.moveTo(PaymentStatus.REQUIRES_PAYMENT);
            }
            return audit.record(Audits.byUser("checkout.succeeded", Audits.SUCCESS, caller)
                            .listing(payment.listingId)
                            .paymentIntent(intent.id())
                            .amount(payment.amount, payment.currency)
                            .details(Map.of("purpose", payment.purpose.value(), "paymentId", payment.id.toString())))
                    .replaceWith(first);
        });
    }

    /**
     * Stripe says the payment's intent is canceled although its {@code canceled} event has not come
     * (late or dead): the payment is closed as that event would close it, so the next prepare opens
     * a new payment with a new intent. Its client secret is never handed out.
     */
    @WithTransaction
    public Uni<Void> closeCanceled(Caller caller, Payment opened, IntentSnapshot intent) {
        return payments.lock(opened).chain(payment -> {
            if (!payment.status.isOpen()) {
                return Uni.createFrom().voidItem();
            }
            if (payment.paymentIntentId == null) {
                payment.paymentIntentId = intent.id();
            }
            payment.moveTo(PaymentStatus.CANCELED);
            LOG.infof(
                    "Payment canceled at Stripe before its event arrived: paymentIntent=%s, listingId=%s",
                    intent.id(), payment.listingId);
            return audit.record(Audits.byUser("payment.canceled", Audits.FAILURE, caller)
                    .listing(payment.listingId)
                    .paymentIntent(intent.id())
                    .amount(payment.amount, payment.currency)
                    .details(Map.of("purpose", payment.purpose.value(), "code", "intent_canceled_at_stripe")));
        });
    }

    /** For an Idempotency-Key replay: the payment the first request opened. */
    @WithSession
    public Uni<Payment> findOwned(UUID paymentId, UUID userId) {
        return payments.findById(paymentId).map(payment -> {
            if (payment == null || !payment.userId.equals(userId)) {
                throw ProblemException.notFound("Payment");
            }
            return payment;
        });
    }

    private void requirePayable(Listing listing, PaymentPurpose purpose) {
        if (purpose == PaymentPurpose.POSTING_FEE) {
            if (listing.status != ListingStatus.PENDING_PAYMENT) {
                throw new ProblemException(ProblemType.LISTING_NOT_PAYABLE, "This listing has no posting fee to pay");
            }
            return;
        }
        if (listing.status != ListingStatus.ACTIVE) {
            throw new ProblemException(ProblemType.LISTING_NOT_ACTIVE, "Only an active listing can be promoted");
        }
        if (purpose == PaymentPurpose.PROMOTION_BUMP && listing.lastBumpedAt != null) {
            OffsetDateTime nextBump =
                    listing.lastBumpedAt.plus(settings.promotions().bumpInterval());
            Duration wait = Duration.between(OffsetDateTime.now(), nextBump);
            if (!wait.isNegative()) {
                throw new ProblemException(
                        ProblemType.BUMP_TOO_SOON,
                        "A listing can be bumped once every 24 hours",
                        Map.of("Retry-After", Long.toString(Math.max(1, wait.toSeconds()))));
            }
        }
    }

    private Uni<Price> price(Listing listing, PaymentPurpose purpose) {
        return switch (purpose) {
            case POSTING_FEE -> categories.findById(listing.categoryId).map(c -> new Price(c.postingFee, c.currency));
            case PROMOTION_FEATURED ->
                Uni.createFrom().item(new Price(settings.promotions().featuredPrice(), settings.currency()));
            case PROMOTION_BUMP ->
                Uni.createFrom().item(new Price(settings.promotions().bumpPrice(), settings.currency()));
        };
    }

    /**
     * Nothing to charge. Only a posting fee can be free (the category became free after the listing
     * was created); a promotion priced 0 is a configuration change, not a reason to touch the
     * listing's expiry or the payment that activated it, so it is refused.
     */
    private Uni<Prepared> free(Caller caller, Listing listing, PaymentPurpose purpose, Price price) {
        if (purpose != PaymentPurpose.POSTING_FEE) {
            LOG.warnf("Promotion %s is priced 0; refused for listing %s", purpose.value(), listing.id);
            return Uni.createFrom()
                    .failure(new ProblemException(
                            ProblemType.PROMOTION_UNAVAILABLE, "This promotion is not available at the moment"));
        }
        return activateFree(caller, listing, price);
    }

    /** The category became free after the listing was created: it goes live without payment. */
    private Uni<Prepared> activateFree(Caller caller, Listing listing, Price price) {
        listing.activate(settings.listingLifetime(), null);
        return audit.record(Audits.byUser("listing.activated", Audits.SUCCESS, caller)
                        .listing(listing.id)
                        .details(Map.of("reason", "free_category")))
                .replaceWith(new Prepared(null, price.currency()));
    }

    private Uni<Prepared> attempted(Caller caller, Payment payment, boolean reused) {
        String action = payment.purpose == PaymentPurpose.POSTING_FEE ? "checkout.attempted" : "promotion.attempted";
        return audit.record(Audits.byUser(action, Audits.SUCCESS, caller)
                        .listing(payment.listingId)
                        .paymentIntent(payment.paymentIntentId)
                        .amount(payment.amount, payment.currency)
                        .details(Map.of(
                                "purpose",
                                payment.purpose.value(),
                                "paymentId",
                                payment.id.toString(),
                                "reused",
                                Boolean.toString(reused))))
                .replaceWith(new Prepared(payment, payment.currency));
    }
}
