package org.villagehomepage.payments.checkout.stripe;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.listing.Listing;
import org.villagehomepage.payments.checkout.listing.ListingRows;
import org.villagehomepage.payments.checkout.listing.ListingStatus;
import org.villagehomepage.payments.checkout.payment.Payment;
import org.villagehomepage.payments.checkout.payment.PaymentPurpose;
import org.villagehomepage.payments.checkout.payment.PaymentRows;
import org.villagehomepage.payments.checkout.payment.PaymentStatus;
import org.villagehomepage.payments.checkout.web.Audits;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.contract.RestoredPayment;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;

/**
 * Disaster recovery's rebuild (webhook-service, from Stripe's PaymentIntents): a succeeded intent
 * whose payment row a restored database lacks gets it back from the intent's metadata (and its
 * listing, for a posting fee, when that is lost too), as an open payment; then the intent's
 * {@code payment_intent.succeeded} goes through the same {@link PaymentEventService} as a webhook,
 * which activates the listing or applies the promotion. Idempotent: present rows are left alone and
 * the event is applied once (inbox).
 */
@ApplicationScoped
public class PaymentRestore {

    private static final Logger LOG = Logger.getLogger(PaymentRestore.class);
    /** Stripe keeps no listing title; a listing restored from Stripe says where it came from. */
    static final String RESTORED_TITLE = "Restored from Stripe";

    private final Pool pool;
    private final PaymentEventService events;
    private final AuditTrail audit;

    public PaymentRestore(Pool pool, PaymentEventService events, AuditTrail audit) {
        this.pool = pool;
        this.events = events;
        this.audit = audit;
    }

    private record Rows(boolean listing, boolean payment, boolean listingMissing) {}

    /** @param createdEpoch the intent's {@code created} (seconds), kept as the restored rows' creation time */
    public Uni<RestoredPayment> restore(StripeEvent event, long createdEpoch, String sender) {
        Intent intent = Intent.of(event);
        String requestId = RequestIds.current();
        return pool.withTransaction(tx -> rows(tx, event, intent, createdEpoch, sender, requestId))
                .chain(rows -> rows.listingMissing()
                        ? Uni.createFrom()
                                .item(new RestoredPayment(
                                        event.intentId(),
                                        intent.paymentId(),
                                        intent.listingId(),
                                        false,
                                        false,
                                        "listing-missing"))
                        : events.apply(event, sender)
                                .map(result -> new RestoredPayment(
                                        event.intentId(),
                                        intent.paymentId(),
                                        intent.listingId(),
                                        rows.listing(),
                                        rows.payment(),
                                        result.outcome())));
    }

    private Uni<Rows> rows(
            SqlConnection tx, StripeEvent event, Intent intent, long createdEpoch, String sender, String requestId) {
        return PaymentRows.findForEvent(tx, event.intentId(), intent.paymentId())
                .chain(byIntent -> byIntent != null
                        ? Uni.createFrom().item(byIntent)
                        : PaymentRows.findPayment(tx, intent.paymentId()))
                .chain(present -> {
                    if (present != null) {
                        return Uni.createFrom().item(new Rows(false, false, false));
                    }
                    OffsetDateTime created =
                            OffsetDateTime.ofInstant(Instant.ofEpochSecond(createdEpoch), ZoneOffset.UTC);
                    return ListingRows.find(tx, intent.listingId()).chain(listing -> {
                        if (listing == null && intent.purpose() != PaymentPurpose.POSTING_FEE) {
                            LOG.warnf(
                                    "Recovery: %s paid a %s for listing %s, which is lost; not restored",
                                    event.intentId(), intent.purpose().value(), intent.listingId());
                            return Uni.createFrom().item(new Rows(false, false, true));
                        }
                        boolean restoreListing = listing == null;
                        Uni<Void> ensured = restoreListing
                                ? ListingRows.insert(tx, restoredListing(intent, created))
                                : Uni.createFrom().voidItem();
                        return ensured.chain(() -> PaymentRows.insert(tx, restoredPayment(event, intent, created)))
                                .chain(() -> audit.record(
                                        tx,
                                        Audits.byService("payment.restored", Audits.SUCCESS, sender)
                                                .listing(intent.listingId())
                                                .paymentIntent(event.intentId())
                                                .amount(event.amountReceived(), event.currency())
                                                .details(Map.of(
                                                        "paymentId",
                                                        intent.paymentId().toString(),
                                                        "purpose",
                                                        intent.purpose().value(),
                                                        "listingRestored",
                                                        Boolean.toString(restoreListing))),
                                        requestId))
                                .invoke(() -> LOG.warnf(
                                        "Recovery restored payment %s (%s) of listing %s%s",
                                        intent.paymentId(),
                                        event.intentId(),
                                        intent.listingId(),
                                        restoreListing ? " and the listing" : ""))
                                .replaceWith(new Rows(restoreListing, true, false));
                    });
                });
    }

    private static Listing restoredListing(Intent intent, OffsetDateTime created) {
        Listing listing = new Listing();
        listing.id = intent.listingId();
        listing.ownerId = intent.userId();
        listing.categoryId = intent.categoryId();
        listing.title = RESTORED_TITLE;
        listing.status = ListingStatus.PENDING_PAYMENT;
        listing.createdAt = created;
        listing.updatedAt = OffsetDateTime.now();
        return listing;
    }

    private static Payment restoredPayment(StripeEvent event, Intent intent, OffsetDateTime created) {
        Payment payment = new Payment();
        payment.id = intent.paymentId();
        payment.listingId = intent.listingId();
        payment.userId = intent.userId();
        payment.categoryId = intent.categoryId();
        payment.purpose = intent.purpose();
        payment.amount = event.amount();
        payment.currency = event.currency();
        payment.status = PaymentStatus.REQUIRES_PAYMENT;
        payment.paymentIntentId = event.intentId();
        payment.intentCreatedAt = created;
        payment.createdAt = created;
        payment.updatedAt = OffsetDateTime.now();
        return payment;
    }

    /** The checkout metadata of a succeeded intent; anything else is refused (400). */
    record Intent(UUID paymentId, UUID listingId, UUID userId, UUID categoryId, PaymentPurpose purpose) {

        static Intent of(StripeEvent event) {
            if (!StripeEvent.SUCCEEDED.equals(event.type())
                    || event.amount() <= 0
                    || event.currency() == null
                    || !event.currency().matches("[a-z]{3}")) {
                throw new ProblemException(
                        ProblemType.INVALID_RESTORE, "Only a succeeded PaymentIntent with an amount can be restored");
            }
            Map<String, String> m = event.metadata();
            PaymentPurpose purpose = PaymentPurpose.of(String.valueOf(m.get("payment_type")))
                    .orElseThrow(() -> new ProblemException(
                            ProblemType.INVALID_RESTORE, "The intent's payment_type is not checkout's"));
            return new Intent(
                    uuid(m, "payment_id"), uuid(m, "listing_id"), uuid(m, "user_id"), uuid(m, "category_id"), purpose);
        }

        private static UUID uuid(Map<String, String> metadata, String key) {
            try {
                return UUID.fromString(metadata.get(key));
            } catch (RuntimeException e) {
                throw new ProblemException(ProblemType.INVALID_RESTORE, "The intent's metadata has no " + key);
            }
        }
    }
}
