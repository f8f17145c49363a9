package org.villagehomepage.payments.checkout.ops;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Map;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.CheckoutSettings;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;

/**
 * Whether new checkouts (posting fees, promotions) are accepted. Two independent off switches: the
 * configuration flag {@code checkout.accepting-payments} (a deploy-time kill that survives a
 * database restore) and the row in {@code checkout_switch} that a super_admin flips at run time.
 * Read from the database on every checkout (with the ban, CheckoutGate) so every replica obeys at once.
 */
@ApplicationScoped
public class CheckoutSwitch {

    private static final Logger LOG = Logger.getLogger(CheckoutSwitch.class);

    private final Pool pool;
    private final AuditTrail audit;
    private final CheckoutSettings settings;

    public CheckoutSwitch(Pool pool, AuditTrail audit, CheckoutSettings settings) {
        this.pool = pool;
        this.audit = audit;
        this.settings = settings;
    }

    public record State(
            boolean accepting,
            boolean configAccepting,
            boolean switchAccepting,
            String reason,
            String changedBy,
            OffsetDateTime changedAt) {}

    public Uni<State> state() {
        return pool.preparedQuery("SELECT accepting, reason, changed_by, changed_at FROM checkout_switch WHERE id = 1")
                .execute()
                .map(rows -> {
                    Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
                    boolean switchOn = row == null || row.getBoolean("accepting");
                    boolean configOn = settings.acceptingPayments();
                    return new State(
                            configOn && switchOn,
                            configOn,
                            switchOn,
                            row == null ? null : row.getString("reason"),
                            row == null ? null : row.getString("changed_by"),
                            row == null ? null : row.getOffsetDateTime("changed_at"));
                });
    }

    /**
     * Fails with a 503 problem while new payments are paused. {@code switchRow} is the row's
     * {@code accepting}, read by the checkout's admission query (CheckoutGate), null without a row.
     */
    public void requireAccepting(Boolean switchRow) {
        if (!settings.acceptingPayments() || Boolean.FALSE.equals(switchRow)) {
            throw new ProblemException(
                    ProblemType.CHECKOUT_PAUSED,
                    "New payments are paused for maintenance; try again later",
                    Map.of("Retry-After", "300"));
        }
    }

    private static final String LOCK = "SELECT accepting FROM checkout_switch WHERE id = 1 FOR UPDATE";
    private static final String UPDATE = """
            UPDATE checkout_switch SET accepting = $1, reason = $2, changed_by = $3, changed_at = now()
            WHERE id = 1""";

    /** Flips the switch and records who did it and why, in the same transaction as the change. */
    public Uni<State> set(boolean accepting, String reason, String adminId, String sourceIp) {
        String requestId = RequestIds.current();
        return pool.withTransaction(tx -> tx.preparedQuery(LOCK)
                .execute()
                .map(rows -> {
                    if (rows.size() == 0) {
                        // the migration inserts the one row; without it there is nothing to flip
                        throw new IllegalStateException("checkout_switch has no row");
                    }
                    return rows.iterator().next().getBoolean("accepting");
                })
                .call(() -> tx.preparedQuery(UPDATE).execute(Tuple.of(accepting, reason, adminId)))
                .call(previous -> {
                    LOG.infof("Checkout switch: accepting=%s (was %s) by %s", accepting, previous, adminId);
                    return audit.record(
                            tx,
                            AuditEvent.builder(accepting ? "checkout.resumed" : "checkout.paused", "success")
                                    .actor("admin", adminId)
                                    .sourceIp(sourceIp)
                                    .details(Map.of("previous", Boolean.toString(previous), "reason", reason)),
                            requestId);
                })
                .map(previous -> new State(
                        accepting && settings.acceptingPayments(),
                        settings.acceptingPayments(),
                        accepting,
                        reason,
                        adminId,
                        OffsetDateTime.now())));
    }
}
