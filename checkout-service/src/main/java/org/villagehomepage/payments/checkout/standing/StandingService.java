package org.villagehomepage.payments.checkout.standing;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.web.Audits;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.cards.CardNumbers;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.outbox.InboxGuard;

/** Bans and unbans sent by refund-service; each message is applied once. */
@ApplicationScoped
public class StandingService {

    private static final Logger LOG = Logger.getLogger(StandingService.class);

    private static final String LOCK = """
            SELECT user_id, banned, reason, chargebacks, version, updated_at FROM user_standing
            WHERE user_id = $1 FOR UPDATE""";
    private static final String INSERT = """
            INSERT INTO user_standing (user_id, banned, reason, chargebacks, version, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6)""";
    private static final String UPDATE = """
            UPDATE user_standing SET banned = $2, reason = $3, chargebacks = $4, version = $5, updated_at = $6
            WHERE user_id = $1""";

    private final Pool pool;
    private final InboxGuard inbox;
    private final AuditTrail audit;

    public StandingService(Pool pool, InboxGuard inbox, AuditTrail audit) {
        this.pool = pool;
        this.inbox = inbox;
        this.audit = audit;
    }

    /**
     * True when this delivery changed something; false for a message already applied, or one older
     * than the last applied (the relay does not keep order, so a retried ban can arrive after a later unban).
     */
    public Uni<Boolean> apply(UUID userId, StandingChange change, String sender, String messageId) {
        String requestId = RequestIds.current();
        return pool.withTransaction(tx -> firstDelivery(tx, sender, messageId)
                .chain(first -> !first
                        ? Uni.createFrom().item(false)
                        : lock(tx, userId).chain(found -> {
                            // no row yet (good standing): it is inserted with the change applied
                            UserStanding standing = found != null ? found : fresh(userId);
                            return standing.accepts(change.version())
                                    ? applied(tx, userId, standing, found == null, change, sender, requestId)
                                            .replaceWith(true)
                                    : stale(userId, standing, change);
                        })));
    }

    private Uni<Void> applied(
            SqlConnection tx,
            UUID userId,
            UserStanding standing,
            boolean fresh,
            StandingChange change,
            String sender,
            String requestId) {
        standing.banned = change.banned();
        standing.reason = CardNumbers.redact(change.reason());
        if (change.chargebacks() != null) {
            standing.chargebacks = change.chargebacks();
        }
        if (change.version() != null) {
            standing.version = change.version();
        }
        standing.updatedAt = OffsetDateTime.now();
        LOG.infof("User %s %s (version %s)", userId, change.banned() ? "banned" : "unbanned", change.version());
        return tx.preparedQuery(fresh ? INSERT : UPDATE)
                .execute(Tuple.of(
                        standing.userId,
                        standing.banned,
                        standing.reason,
                        standing.chargebacks,
                        standing.version,
                        standing.updatedAt))
                .chain(() -> audit.record(
                        tx,
                        Audits.byService(change.banned() ? "user.banned" : "user.unbanned", Audits.SUCCESS, sender)
                                .details(
                                        Map.of("userId", userId.toString(), "reason", String.valueOf(standing.reason))),
                        requestId));
    }

    private static Uni<Boolean> stale(UUID userId, UserStanding standing, StandingChange change) {
        LOG.infof(
                "Ignored %s of user %s: version %d, already at %d",
                change.banned() ? "ban" : "unban", userId, change.version(), standing.version);
        return Uni.createFrom().item(false);
    }

    private Uni<Boolean> firstDelivery(SqlConnection tx, String sender, String messageId) {
        // Without a message id (a direct call), setting the same standing again is harmless.
        return messageId == null
                ? Uni.createFrom().item(true)
                : Uni.createFrom().deferred(() -> inbox.firstDelivery(tx, sender, messageId));
    }

    /** Row-locked (SELECT ... FOR UPDATE); null when the user has no row (in good standing). */
    private static Uni<UserStanding> lock(SqlConnection tx, UUID userId) {
        return tx.preparedQuery(LOCK).execute(Tuple.of(userId)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            Row row = rows.iterator().next();
            UserStanding standing = new UserStanding();
            standing.userId = row.getUUID("user_id");
            standing.banned = row.getBoolean("banned");
            standing.reason = row.getString("reason");
            standing.chargebacks = row.getInteger("chargebacks");
            standing.version = row.getLong("version");
            standing.updatedAt = row.getOffsetDateTime("updated_at");
            return standing;
        });
    }

    private static UserStanding fresh(UUID userId) {
        UserStanding standing = new UserStanding();
        standing.userId = userId;
        standing.updatedAt = OffsetDateTime.now();
        return standing;
    }
}
