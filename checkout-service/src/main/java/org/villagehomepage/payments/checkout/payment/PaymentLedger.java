package org.villagehomepage.payments.checkout.payment;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.CheckoutSettings;
import org.villagehomepage.payments.checkout.listing.Listing;
import org.villagehomepage.payments.checkout.listing.ListingRows;
import org.villagehomepage.payments.checkout.listing.ListingStatus;
import org.villagehomepage.payments.checkout.stripe.IntentSnapshot;
import org.villagehomepage.payments.checkout.web.Audits;
import org.villagehomepage.payments.checkout.web.Caller;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;

/**
 * The payment's part of the two short transactions around the Stripe call of a checkout
 * ({@link CheckoutService} opens them): before it, find or open the one payment of this listing and
 * purpose (priced here, never from the request); after it, record the PaymentIntent. No database
 * connection is held while Stripe answers. Plain SQL on the reactive client: every checkout passes
 * here twice, and Hibernate's per-entity work was half of the service's CPU per checkout
 * (docs/benchmarks-history.md).
 */
@ApplicationScoped
public class PaymentLedger {

    private static final Logger LOG = Logger.getLogger(PaymentLedger.class);

    /*
     * The open statuses are written into the statement, exactly as the partial unique index
     * payment_one_open is defined: a parameter there would let a cached generic plan miss the
     * index (Postgres cannot prove the predicate for an unknown value) and scan the table.
     */
    static final String FIND_OPEN = "SELECT " + PaymentRows.PAYMENT_COLUMNS
            + " FROM payment WHERE listing_id = $1 AND purpose = $2 AND status IN ("
            + Stream.of(PaymentStatus.values())
                    .filter(PaymentStatus::isOpen)
                    .map(status -> "'" + status.value() + "'")
                    .collect(Collectors.joining(", "))
            + ")";
    private static final String POSTING_FEE = "SELECT posting_fee, currency FROM category WHERE id = $1";
    private static final String UPDATE = """
            UPDATE payment SET status = $2, payment_intent_id = $3, intent_created_at = $4, updated_at = $5
            WHERE id = $1""";

    private final Pool pool;
    private final AuditTrail audit;
    private final CheckoutSettings settings;

    public PaymentLedger(Pool pool, AuditTrail audit, CheckoutSettings settings) {
        this.pool = pool;
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

    /** In the caller's transaction, before the Stripe call. */
    public Uni<Prepared> prepare(SqlConnection connection, Caller caller, UUID listingId, PaymentPurpose purpose) {
        String requestId = RequestIds.current();
        // The listing lock queues concurrent checkouts of one listing: the first opens the payment, the rest reuse it.
        return ListingRows.lock(connection, listingId)
                .map(listing -> ListingRows.ownedOrNotFound(listing, caller.userId()))
                .invoke(listing -> requirePayable(listing, purpose))
                .chain(listing -> reuseOrOpen(connection, caller, listing, purpose, requestId));
    }

    /** The open payment of this listing and purpose is reused (same intent); otherwise one is opened at today's price. */
    private Uni<Prepared> reuseOrOpen(
            SqlConnection connection, Caller caller, Listing listing, PaymentPurpose purpose, String requestId) {
        return connection
                .preparedQuery(FIND_OPEN)
                .execute(Tuple.of(listing.id, purpose.value()))
                .map(PaymentRows::payment)
                .chain(open -> open != null
                        ? attempted(connection, caller, open, true, requestId)
                        : price(connection, listing, purpose)
                                .chain(price -> open(connection, caller, listing, purpose, price, requestId)));
    }

    private Uni<Prepared> open(
            SqlConnection connection,
            Caller caller,
            Listing listing,
            PaymentPurpose purpose,
            Price price,
            String requestId) {
        if (price.amount() == 0) {
            return free(connection, caller, listing, purpose, price, requestId);
        }
        Payment payment = Payment.open(
                listing.id, caller.userId(), listing.categoryId, purpose, price.amount(), price.currency());
        return PaymentRows.insert(connection, payment)
                .chain(() -> attempted(connection, caller, payment, false, requestId));
    }

    /**
     * In the caller's transaction, after the Stripe call. True when this call recorded the intent
     * first (it is counted once, whichever request gets here first).
     */
    public Uni<Boolean> recordIntent(SqlConnection connection, Caller caller, Payment opened, IntentSnapshot intent) {
        String requestId = RequestIds.current();
        return PaymentRows.lockPayment(connection, opened.id).chain(payment -> {
            if (payment == null) {
                // opened a moment ago by this checkout; rolled back by nothing we know of
                return Uni.createFrom().failure(new IllegalStateException("payment row vanished"));
            }
            if (payment.paymentIntentId != null && !payment.paymentIntentId.equals(intent.id())) {
                LOG.errorf(
                        "Payment %s already has intent %s, Stripe answered %s",
                        payment.id, payment.paymentIntentId, intent.id());
                return Uni.createFrom()
                        .failure(new ProblemException(
                                ProblemType.PAYMENT_PROVIDER_MISMATCH,
                                "The payment could not be prepared; please try again"));
            }
            boolean first = payment.intentCreatedAt == null;
            // a repeated checkout of a payment whose intent is recorded changes nothing: no write
            boolean changed =
                    first || !intent.id().equals(payment.paymentIntentId) || payment.status == PaymentStatus.CREATING;
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
            return (changed ? update(connection, payment) : Uni.createFrom().voidItem())
                    .chain(() -> audit(
                            connection,
                            Audits.byUser("checkout.succeeded", Audits.SUCCESS, caller)
                                    .listing(payment.listingId)
                                    .paymentIntent(intent.id())
                                    .amount(payment.amount, payment.currency)
                                    .details(Map.of(
                                            "purpose", payment.purpose.value(), "paymentId", payment.id.toString())),
                            requestId))
                    .replaceWith(first);
        });
    }

    /**
     * Stripe says the payment's intent is canceled although its {@code canceled} event has not come
     * (late or dead): the payment is closed as that event would close it, so the next prepare opens
     * a new payment with a new intent. Its client secret is never handed out.
     */
    public Uni<Void> closeCanceled(Caller caller, Payment opened, IntentSnapshot intent) {
        String requestId = RequestIds.current();
        return pool.withTransaction(connection -> PaymentRows.lockPayment(connection, opened.id)
                .chain(payment -> {
                    if (payment == null || !payment.status.isOpen()) {
                        return Uni.createFrom().voidItem();
                    }
                    if (payment.paymentIntentId == null) {
                        payment.paymentIntentId = intent.id();
                    }
                    payment.moveTo(PaymentStatus.CANCELED);
                    LOG.infof(
                            "Payment canceled at Stripe before its event arrived: paymentIntent=%s, listingId=%s",
                            intent.id(), payment.listingId);
                    return update(connection, payment)
                            .chain(() -> audit(
                                    connection,
                                    Audits.byUser("payment.canceled", Audits.FAILURE, caller)
                                            .listing(payment.listingId)
                                            .paymentIntent(intent.id())
                                            .amount(payment.amount, payment.currency)
                                            .details(Map.of(
                                                    "purpose",
                                                    payment.purpose.value(),
                                                    "code",
                                                    "intent_canceled_at_stripe")),
                                    requestId));
                }));
    }

    /** For an Idempotency-Key replay: the payment the first request opened. */
    public Uni<Payment> findOwned(UUID paymentId, UUID userId) {
        return PaymentRows.findPayment(pool, paymentId).map(payment -> {
            if (payment == null || !payment.userId.equals(userId)) {
                throw ProblemException.notFound("Payment");
            }
            return payment;
        });
    }

    private static Uni<Void> update(SqlConnection connection, Payment payment) {
        return connection
                .preparedQuery(UPDATE)
                .execute(Tuple.of(
                        payment.id,
                        payment.status.value(),
                        payment.paymentIntentId,
                        payment.intentCreatedAt,
                        payment.updatedAt))
                .replaceWithVoid();
    }

    /** In the caller's transaction, on its connection: the fact and its record commit together. */
    private Uni<Void> audit(SqlConnection connection, AuditEvent.Builder event, String requestId) {
        return audit.record(connection, event, requestId);
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

    private Uni<Price> price(SqlConnection connection, Listing listing, PaymentPurpose purpose) {
        return switch (purpose) {
            case POSTING_FEE ->
                connection
                        .preparedQuery(POSTING_FEE)
                        .execute(Tuple.of(listing.categoryId))
                        .map(rows -> {
                            var row = rows.iterator().next(); // listing.category_id references category
                            return new Price(row.getLong("posting_fee"), row.getString("currency"));
                        });
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
    private Uni<Prepared> free(
            SqlConnection connection,
            Caller caller,
            Listing listing,
            PaymentPurpose purpose,
            Price price,
            String requestId) {
        if (purpose != PaymentPurpose.POSTING_FEE) {
            LOG.warnf("Promotion %s is priced 0; refused for listing %s", purpose.value(), listing.id);
            return Uni.createFrom()
                    .failure(new ProblemException(
                            ProblemType.PROMOTION_UNAVAILABLE, "This promotion is not available at the moment"));
        }
        return activateFree(connection, caller, listing, price, requestId);
    }

    /** The category became free after the listing was created: it goes live without payment. */
    private Uni<Prepared> activateFree(
            SqlConnection connection, Caller caller, Listing listing, Price price, String requestId) {
        listing.activate(settings.listingLifetime(), null);
        return ListingRows.update(connection, listing)
                .chain(() -> audit(
                        connection,
                        Audits.byUser("listing.activated", Audits.SUCCESS, caller)
                                .listing(listing.id)
                                .details(Map.of("reason", "free_category")),
                        requestId))
                .replaceWith(new Prepared(null, price.currency()));
    }

    private Uni<Prepared> attempted(
            SqlConnection connection, Caller caller, Payment payment, boolean reused, String requestId) {
        String action = payment.purpose == PaymentPurpose.POSTING_FEE ? "checkout.attempted" : "promotion.attempted";
        return audit(
                        connection,
                        Audits.byUser(action, Audits.SUCCESS, caller)
                                .listing(payment.listingId)
                                .paymentIntent(payment.paymentIntentId)
                                .amount(payment.amount, payment.currency)
                                .details(Map.of(
                                        "purpose",
                                        payment.purpose.value(),
                                        "paymentId",
                                        payment.id.toString(),
                                        "reused",
                                        Boolean.toString(reused))),
                        requestId)
                .replaceWith(new Prepared(payment, payment.currency));
    }
}
