package org.villagehomepage.payments.checkout.payment;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.ops.CheckoutSwitch;
import org.villagehomepage.payments.checkout.web.Audits;
import org.villagehomepage.payments.checkout.web.Caller;
import org.villagehomepage.payments.checkout.web.RateLimiter;
import org.villagehomepage.payments.checkout.web.Refusals;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.http.PerUserRateLimiter;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;

/**
 * The admission checks before anything is bought: the checkout switch, the per-user rate limit and
 * the ban, in that order. A refusal is counted and audited (in its own transaction: nothing else
 * happens) and answered as a problem.
 */
@ApplicationScoped
public class CheckoutGate {

    /** Problem types whose denial this gate has already counted and audited. */
    public static final Set<ProblemType> OWN_DENIALS = Set.of(ProblemType.RATE_LIMITED, ProblemType.USER_BANNED);

    private static final Logger LOG = Logger.getLogger(CheckoutGate.class);
    private static final String BANNED = "SELECT banned FROM user_standing WHERE user_id = $1";
    // A checkout's switch and ban in one round trip (each row may be missing: null)
    static final String ADMISSION = """
            SELECT (SELECT accepting FROM checkout_switch WHERE id = 1) AS accepting,
                (SELECT banned FROM user_standing WHERE user_id = $1) AS banned""";

    private final CheckoutSwitch checkoutSwitch;
    private final RateLimiter rateLimiter;
    private final Pool pool;
    private final AuditTrail audit;
    private final PaymentMetrics metrics;

    private final Refusals refusals;

    public CheckoutGate(
            CheckoutSwitch checkoutSwitch,
            RateLimiter rateLimiter,
            Pool pool,
            AuditTrail audit,
            PaymentMetrics metrics,
            Refusals refusals) {
        this.checkoutSwitch = checkoutSwitch;
        this.refusals = refusals;
        this.rateLimiter = rateLimiter;
        this.pool = pool;
        this.audit = audit;
        this.metrics = metrics;
    }

    /**
     * For checkout and promote: the switch (503), the rate limit (429, no database: it is decided
     * before the ban), then the ban (403); the switch and the ban are read in one query.
     */
    public Uni<Void> admitPayment(Caller caller, UUID listingId, String operation) {
        return pool.preparedQuery(ADMISSION).execute(Tuple.of(caller.userId())).chain(rows -> {
            Row row = rows.iterator().next();
            checkoutSwitch.requireAccepting(row.getBoolean("accepting"));
            return rateLimiter
                    .acquire(caller.userId())
                    .map(wait -> rateLimitedDenial(caller, listingId, operation, wait))
                    .orElseGet(() -> Boolean.TRUE.equals(row.getBoolean("banned"))
                            ? denyBanned(caller, listingId, operation)
                            : Uni.createFrom().voidItem());
        });
    }

    /** For creating a listing: a banned user may not post. */
    public Uni<Void> admitUser(Caller caller, UUID listingId, String operation) {
        return pool.preparedQuery(BANNED)
                .execute(Tuple.of(caller.userId()))
                .map(rows -> rows.size() > 0 && rows.iterator().next().getBoolean(0))
                .chain(banned -> banned
                        ? denyBanned(caller, listingId, operation)
                        : Uni.createFrom().voidItem());
    }

    private Uni<Void> denyBanned(Caller caller, UUID listingId, String operation) {
        return deny(
                caller,
                listingId,
                operation,
                "banned",
                new ProblemException(ProblemType.USER_BANNED, "Your account may not make marketplace payments"));
    }

    private Uni<Void> deny(Caller caller, UUID listingId, String operation, String reason, ProblemException problem) {
        return deny(caller, listingId, operation, reason, problem, Map.of());
    }

    private Uni<Void> deny(
            Caller caller,
            UUID listingId,
            String operation,
            String reason,
            ProblemException problem,
            Map<String, String> extra) {
        metrics.denied(reason);
        LOG.infof("Checkout denied: user=%s operation=%s reason=%s", caller.userId(), operation, reason);
        Map<String, String> details = new java.util.HashMap<>(extra);
        details.put("operation", operation);
        details.put("reason", reason);
        String requestId = RequestIds.current();
        return pool.withTransaction(tx -> audit.record(
                        tx,
                        Audits.byUser("checkout.denied", Audits.DENIED, caller)
                                .listing(listingId)
                                .details(details),
                        requestId))
                .chain(() -> Uni.createFrom().failure(problem));
    }

    /** 429s are counted each, but audited within the user's refusal budget only (Refusals). */
    private Uni<Void> rateLimitedDenial(Caller caller, UUID listingId, String operation, Duration wait) {
        Long represents = refusals.admit("rate_limited", caller.actorId());
        if (represents == null) {
            metrics.denied("rate_limited");
            return Uni.createFrom().failure(rateLimited(wait));
        }
        return deny(
                caller,
                listingId,
                operation,
                "rate_limited",
                rateLimited(wait),
                Map.of("refusals", represents.toString()));
    }

    private static ProblemException rateLimited(Duration wait) {
        return PerUserRateLimiter.tooManyRequests(wait, "Too many payment requests; try again later");
    }
}
