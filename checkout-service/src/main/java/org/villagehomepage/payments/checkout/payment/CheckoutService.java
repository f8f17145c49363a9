package org.villagehomepage.payments.checkout.payment;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.CheckoutSettings;
import org.villagehomepage.payments.checkout.idempotency.ClientIdempotency;
import org.villagehomepage.payments.checkout.idempotency.KeyClaim;
import org.villagehomepage.payments.checkout.stripe.IntentSnapshot;
import org.villagehomepage.payments.checkout.stripe.PaymentIntentGateway;
import org.villagehomepage.payments.checkout.web.Audits;
import org.villagehomepage.payments.checkout.web.Caller;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.stripe.StripeSettings;

/**
 * The secure checkout sequence for posting fees and promotions: admission (rate limit, ban), the
 * client's Idempotency-Key, ownership and state, the server's price, then the one PaymentIntent of
 * the open payment. Every outcome is timed and audited.
 */
@ApplicationScoped
public class CheckoutService {

    private static final Set<ProblemType> PROVIDER_FAILURES = Set.of(
            ProblemType.PAYMENT_PROVIDER_DOWN,
            ProblemType.PAYMENT_PROVIDER_UNAVAILABLE,
            ProblemType.PAYMENT_PROVIDER_MISMATCH);
    private static final Logger LOG = Logger.getLogger(CheckoutService.class);

    private final CheckoutGate gate;
    private final ClientIdempotency keys;
    private final PaymentLedger ledger;
    private final PaymentIntentGateway intents;
    private final PaymentMetrics metrics;
    private final Pool pool;
    private final AuditTrail audit;
    private final CheckoutSettings settings;
    private final StripeSettings stripe;

    public CheckoutService(
            StripeSettings stripe,
            CheckoutGate gate,
            ClientIdempotency keys,
            PaymentLedger ledger,
            PaymentIntentGateway intents,
            PaymentMetrics metrics,
            Pool pool,
            AuditTrail audit,
            CheckoutSettings settings) {
        this.stripe = stripe;
        this.gate = gate;
        this.keys = keys;
        this.ledger = ledger;
        this.intents = intents;
        this.metrics = metrics;
        this.pool = pool;
        this.audit = audit;
        this.settings = settings;
    }

    /**
     * @param request what the client asked for, for the Idempotency-Key check (same key, other request: 422)
     */
    public Uni<CheckoutAnswer> checkout(
            Caller caller, UUID listingId, PaymentPurpose purpose, String idempotencyKey, String request) {
        long start = System.nanoTime();
        String operation = purpose == PaymentPurpose.POSTING_FEE ? "checkout" : "promote";
        return gate.admitPayment(caller, listingId, operation)
                .chain(() -> begin(caller, listingId, purpose, idempotencyKey, request))
                .chain(opening -> opening.claim().replay()
                        ? replay(caller, opening.claim())
                        : charge(caller, listingId, purpose, opening, true)
                                .onFailure()
                                .call(() -> keys.release(opening.claim())))
                .map(answer -> answer.withPublishableKey(stripe.publishableKey().orElse(null)))
                .invoke(() -> metrics.checkoutDuration(purpose, "success", since(start)))
                .onFailure()
                .call(e -> failed(caller, listingId, purpose, e, start));
    }

    /** The key's claim and the payment to charge; {@code prepared} is null for a replay. */
    private record Opening(KeyClaim claim, PaymentLedger.Prepared prepared) {}

    /**
     * The first transaction: the Idempotency-Key's claim and the payment to charge commit together,
     * so a checkout refused here (not the owner, not payable) leaves no claim behind.
     */
    private Uni<Opening> begin(
            Caller caller, UUID listingId, PaymentPurpose purpose, String idempotencyKey, String request) {
        return pool.withTransaction(connection -> keys.claim(connection, caller.userId(), idempotencyKey, request)
                .chain(claim -> claim.replay()
                        ? Uni.createFrom().item(new Opening(claim, null))
                        : prepare(connection, caller, listingId, purpose, claim)));
    }

    /** Nothing due (the listing went live for free) completes the key in the same transaction. */
    private Uni<Opening> prepare(
            SqlConnection connection, Caller caller, UUID listingId, PaymentPurpose purpose, KeyClaim claim) {
        return ledger.prepare(connection, caller, listingId, purpose)
                .call(prepared -> prepared.free()
                        ? keys.complete(connection, claim, null)
                        : Uni.createFrom().voidItem())
                .map(prepared -> new Opening(claim, prepared));
    }

    /**
     * The Stripe call, then one statement: the intent, its audit message and the key's completion. A canceled
     * intent can never be paid: its payment is closed and a new one opened (once; the new intent
     * was just created, so a second canceled one means something else is wrong).
     */
    private Uni<CheckoutAnswer> charge(
            Caller caller, UUID listingId, PaymentPurpose purpose, Opening opening, boolean mayReopen) {
        PaymentLedger.Prepared prepared = opening.prepared();
        if (prepared.free()) {
            return Uni.createFrom().item(CheckoutAnswer.free(prepared.currency()));
        }
        return intents.intentFor(prepared.payment()).chain(intent -> {
            if (IntentSnapshot.CANCELED.equals(intent.status())) {
                return mayReopen
                        ? ledger.closeCanceled(caller, prepared.payment(), intent)
                                .chain(() -> pool.withTransaction(
                                        connection -> prepare(connection, caller, listingId, purpose, opening.claim())))
                                .chain(reopened -> charge(caller, listingId, purpose, reopened, false))
                        : Uni.createFrom()
                                .failure(new ProblemException(
                                        ProblemType.PAYMENT_PROVIDER_MISMATCH,
                                        "The payment could not be prepared; please try again"));
            }
            return ledger.recordIntent(caller, prepared.payment(), intent, opening.claim())
                    .invoke(first -> {
                        if (first) {
                            metrics.intentCreated(purpose);
                        }
                    })
                    .map(first -> CheckoutAnswer.of(prepared.payment(), intent));
        });
    }

    /** The same answer as the first request with this key (the intent is fetched again for its secret). */
    private Uni<CheckoutAnswer> replay(Caller caller, KeyClaim claim) {
        if (claim.paymentId() == null) {
            return Uni.createFrom().item(CheckoutAnswer.free(settings.currency()));
        }
        return ledger.findOwned(claim.paymentId(), caller.userId())
                .chain(payment -> intents.intentFor(payment).map(intent -> CheckoutAnswer.of(payment, intent)));
    }

    /** Times and audits a refused or failed checkout; the original failure goes on to the client. */
    private Uni<Void> failed(Caller caller, UUID listingId, PaymentPurpose purpose, Throwable e, long start) {
        ProblemException problem = e instanceof ProblemException p ? p : null;
        boolean denied = problem != null
                && (problem.status() == 403
                        || problem.status() == 404
                        || problem.status() == 429
                        || problem.problemType() == ProblemType.CHECKOUT_PAUSED);
        metrics.checkoutDuration(purpose, denied ? "denied" : "failure", since(start));
        if (problem != null && CheckoutGate.OWN_DENIALS.contains(problem.problemType())) {
            return Uni.createFrom().voidItem();
        }
        String reason = problem != null ? problem.type() : "internal";
        if (problem != null && PROVIDER_FAILURES.contains(problem.problemType())) {
            metrics.intentCreationFailed(purpose);
        }
        if (problem == null) {
            LOG.errorf("Checkout failed: listingId=%s, purpose=%s: %s", listingId, purpose.value(), FailureKind.of(e));
        }
        String requestId = RequestIds.current();
        return pool.withTransaction(tx -> audit.record(
                        tx,
                        Audits.byUser(
                                        denied ? "checkout.denied" : "checkout.failed",
                                        denied ? Audits.DENIED : Audits.FAILURE,
                                        caller)
                                .listing(listingId)
                                .details(Map.of("purpose", purpose.value(), "reason", reason)),
                        requestId))
                .onFailure()
                .invoke(auditError -> LOG.errorf("Checkout failure not audited: %s", FailureKind.of(auditError)))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
