package org.villagehomepage.payments.checkout.payment;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.CheckoutSettings;
import org.villagehomepage.payments.checkout.idempotency.KeyClaim;
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

    private static final String UPDATE = """
            UPDATE payment SET status = $2, payment_intent_id = $3, intent_created_at = $4, updated_at = $5
            WHERE id = $1""";
    /*
     * After the Stripe call, one statement (so no transaction around it): lock the payment, record
     * the intent unless the payment already has another one, write the audit message and complete
     * the Idempotency-Key ($9, $10: null without one). What was there before comes back, so the
     * caller knows whether it recorded the intent first, or that another intent was there (then
     * nothing was written). Only a payment still 'creating' moves, to 'requires_payment'
     * (PaymentStatus.TRANSITIONS; events may have moved it further meanwhile).
     */
    private static final String RECORD_INTENT = """
            WITH before AS (
                SELECT status, payment_intent_id, intent_created_at FROM payment WHERE id = $1 FOR UPDATE),
            ours AS (SELECT * FROM before WHERE payment_intent_id IS NULL OR payment_intent_id = $2),
            recorded AS (
                UPDATE payment p SET payment_intent_id = $2,
                    intent_created_at = coalesce(p.intent_created_at, $3),
                    status = CASE WHEN p.status = 'creating' THEN 'requires_payment' ELSE p.status END,
                    updated_at = CASE WHEN p.status = 'creating' THEN $3 ELSE p.updated_at END
                FROM ours
                WHERE p.id = $1
                    AND (ours.payment_intent_id IS NULL OR ours.intent_created_at IS NULL OR ours.status = 'creating')),
            audited AS (
                INSERT INTO outbox_message (id, destination, path, payload, request_id)
                SELECT $4::uuid, $5::text, $6::text, $7::text, $8::text FROM ours),
            completed AS (
                UPDATE client_idempotency SET state = 'completed', payment_id = $1, updated_at = now()
                WHERE user_id = $9 AND idem_key = $10 AND EXISTS (SELECT 1 FROM ours))
            SELECT status, payment_intent_id, intent_created_at FROM before""";

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
        return ListingRows.lockWithPostingFee(connection, listingId).chain(locked -> {
            Listing listing = ListingRows.ownedOrNotFound(locked == null ? null : locked.listing(), caller.userId());
            requirePayable(listing, purpose);
            return openOrReuse(connection, caller, listing, purpose, price(locked, purpose), requestId);
        });
    }

    /**
     * A new payment at today's price, unless the listing has an open payment for this purpose: that
     * one is reused (same intent). Priced 0, only an open payment is charged.
     */
    private Uni<Prepared> openOrReuse(
            SqlConnection connection,
            Caller caller,
            Listing listing,
            PaymentPurpose purpose,
            Price price,
            String requestId) {
        if (price.amount() == 0) {
            return PaymentRows.findOpen(connection, listing.id, purpose)
                    .chain(open -> open != null
                            ? reused(connection, caller, open, requestId)
                            : free(connection, caller, listing, purpose, price, requestId));
        }
        return open(connection, caller, listing, purpose, price, requestId, true);
    }

    /**
     * The common case in one statement: the payment and its audit message. On a conflict the open
     * payment is reused; if it was closed between the insert and the read (an intent found canceled
     * at Stripe is closed under the payment's lock only), the insert is tried once more.
     */
    private Uni<Prepared> open(
            SqlConnection connection,
            Caller caller,
            Listing listing,
            PaymentPurpose purpose,
            Price price,
            String requestId,
            boolean mayRetry) {
        Payment payment = Payment.open(
                listing.id, caller.userId(), listing.categoryId, purpose, price.amount(), price.currency());
        Object[] attempt = audit.outboxValues(attempted(caller, payment, false), requestId);
        return PaymentRows.insertUnlessOpen(connection, payment, attempt)
                .chain(opened -> opened
                        ? Uni.createFrom().item(new Prepared(payment, payment.currency))
                        : PaymentRows.findOpen(connection, listing.id, purpose).chain(existing -> {
                            if (existing != null) {
                                return reused(connection, caller, existing, requestId);
                            }
                            return mayRetry
                                    ? open(connection, caller, listing, purpose, price, requestId, false)
                                    : Uni.createFrom().failure(new IllegalStateException("open payment not found"));
                        }));
    }

    /**
     * After the Stripe call, in one statement of its own (RECORD_INTENT), with the audit message and
     * the key's completion. True when this call recorded the intent first (it is counted once,
     * whichever request gets here first).
     */
    public Uni<Boolean> recordIntent(Caller caller, Payment opened, IntentSnapshot intent, KeyClaim claim) {
        String requestId = RequestIds.current();
        Object[] message = audit.outboxValues(
                Audits.byUser("checkout.succeeded", Audits.SUCCESS, caller)
                        .listing(opened.listingId)
                        .paymentIntent(intent.id())
                        .amount(opened.amount, opened.currency)
                        .details(Map.of("purpose", opened.purpose.value(), "paymentId", opened.id.toString())),
                requestId);
        boolean completes = claim.hasKey() && !claim.replay();
        return pool.preparedQuery(RECORD_INTENT)
                .execute(Tuple.from(new Object[] {
                    opened.id,
                    intent.id(),
                    OffsetDateTime.now(),
                    message[0],
                    message[1],
                    message[2],
                    message[3],
                    message[4],
                    completes ? claim.userId() : null,
                    completes ? claim.key() : null
                }))
                .map(rows -> {
                    if (rows.size() == 0) {
                        // opened a moment ago by this checkout; rolled back by nothing we know of
                        throw new IllegalStateException("payment row vanished");
                    }
                    Row before = rows.iterator().next();
                    String recordedIntent = before.getString("payment_intent_id");
                    if (recordedIntent != null && !recordedIntent.equals(intent.id())) {
                        LOG.errorf(
                                "Payment %s already has intent %s, Stripe answered %s",
                                opened.id, recordedIntent, intent.id());
                        throw new ProblemException(
                                ProblemType.PAYMENT_PROVIDER_MISMATCH,
                                "The payment could not be prepared; please try again");
                    }
                    boolean first = before.getOffsetDateTime("intent_created_at") == null;
                    if (first) {
                        LOG.infof(
                                "Created %s payment: listingId=%s, userId=%s, paymentIntent=%s",
                                opened.purpose.value(), opened.listingId, opened.userId, intent.id());
                    }
                    return first;
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

    private Price price(ListingRows.Priced locked, PaymentPurpose purpose) {
        return switch (purpose) {
            case POSTING_FEE -> new Price(locked.postingFee(), locked.currency());
            case PROMOTION_FEATURED -> new Price(settings.promotions().featuredPrice(), settings.currency());
            case PROMOTION_BUMP -> new Price(settings.promotions().bumpPrice(), settings.currency());
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

    /** A reused payment's attempt, audited in the caller's transaction. */
    private Uni<Prepared> reused(SqlConnection connection, Caller caller, Payment payment, String requestId) {
        return audit(connection, attempted(caller, payment, true), requestId)
                .replaceWith(new Prepared(payment, payment.currency));
    }

    private static AuditEvent.Builder attempted(Caller caller, Payment payment, boolean reused) {
        String action = payment.purpose == PaymentPurpose.POSTING_FEE ? "checkout.attempted" : "promotion.attempted";
        return Audits.byUser(action, Audits.SUCCESS, caller)
                .listing(payment.listingId)
                .paymentIntent(payment.paymentIntentId)
                .amount(payment.amount, payment.currency)
                .details(Map.of(
                        "purpose",
                        payment.purpose.value(),
                        "paymentId",
                        payment.id.toString(),
                        "reused",
                        Boolean.toString(reused)));
    }
}
