package org.villagehomepage.payments.refund.ban;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.outbox.SqlOutbox;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.refund.Actor;
import org.villagehomepage.payments.refund.RefundSettings;
import org.villagehomepage.payments.refund.SqlTime;

/**
 * Policy P3: a user with 2 or more chargebacks is banned. The ban (and a super_admin's unban)
 * reaches checkout-service through the outbox, in the transaction that decides it.
 */
@ApplicationScoped
public class UserBans {

    static final String CHECKOUT = "checkout";

    private static final String COUNT = """
            INSERT INTO user_standing (user_id, chargebacks, updated_at) VALUES ($1, 1, $2)
            ON CONFLICT (user_id) DO UPDATE SET chargebacks = user_standing.chargebacks + 1, updated_at = $2""";
    private static final String FIND = """
            SELECT user_id, chargebacks, banned, bans, standing_version, banned_at, updated_at
            FROM user_standing WHERE user_id = $1""";
    private static final String LOCK = FIND + " FOR UPDATE";
    // The ban fields are all a ban or unban changes (the count is the upsert's).
    private static final String UPDATE = """
            UPDATE user_standing SET banned = $2, bans = $3, standing_version = $4, banned_at = $5, updated_at = $6
            WHERE user_id = $1""";

    private final Pool pool;
    private final SqlOutbox outbox;
    private final AuditTrail audit;
    private final RefundSettings settings;
    private final Clock clock;

    public UserBans(Pool pool, SqlOutbox outbox, AuditTrail audit, RefundSettings settings, Clock clock) {
        this.pool = pool;
        this.outbox = outbox;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Counts one new chargeback of the user, inside the caller's transaction; answers whether this
     * chargeback banned them. The upsert locks the user's row, so concurrent disputes count right.
     */
    public Uni<Boolean> countChargeback(SqlConnection tx, UUID userId, String disputeId) {
        Instant now = clock.instant();
        return tx.preparedQuery(COUNT)
                .execute(Tuple.of(userId, SqlTime.of(now)))
                .chain(() -> lock(tx, userId))
                .flatMap(standing -> {
                    if (standing.banned || standing.chargebacks < settings.banThreshold()) {
                        return Uni.createFrom().item(false);
                    }
                    standing.banned = true;
                    standing.bans++;
                    standing.standingVersion++;
                    standing.bannedAt = now;
                    standing.updatedAt = now;
                    String path = "/internal/users/" + userId + "/ban";
                    return update(tx, standing)
                            .chain(() -> outbox.enqueue(
                                    tx,
                                    new SqlOutbox.Message(
                                            SqlOutbox.idFor(CHECKOUT + ":ban:" + userId + ":" + standing.bans),
                                            CHECKOUT,
                                            path,
                                            Map.of(
                                                    "reason",
                                                    "chargebacks",
                                                    "chargebacks",
                                                    standing.chargebacks,
                                                    "version",
                                                    standing.standingVersion),
                                            RequestIds.current())))
                            .chain(() -> audit.record(
                                    tx,
                                    AuditEvent.builder("user.banned", "success")
                                            .actor(Actor.SYSTEM.type(), Actor.SYSTEM.id())
                                            .details(Map.of(
                                                    "userId",
                                                    userId.toString(),
                                                    "chargebacks",
                                                    String.valueOf(standing.chargebacks),
                                                    "disputeId",
                                                    disputeId,
                                                    "policy",
                                                    "P3: banned at " + settings.banThreshold() + " chargebacks"))))
                            .replaceWith(true);
                });
    }

    /**
     * Lifts this service's ban. The chargeback count stays: a further chargeback bans again.
     */
    public Uni<UserStanding> unban(UUID userId, Actor admin, String reason) {
        return pool.withTransaction(tx -> lock(tx, userId).flatMap(standing -> {
            if (standing == null || !standing.banned) {
                throw new ProblemException(ProblemType.NOT_BANNED, "The user is not banned");
            }
            Instant now = clock.instant();
            standing.banned = false;
            standing.standingVersion++;
            standing.updatedAt = now;
            String path = "/internal/users/" + userId + "/unban";
            return update(tx, standing)
                    .chain(() -> outbox.enqueue(
                            tx,
                            new SqlOutbox.Message(
                                    SqlOutbox.idFor(CHECKOUT + ":unban:" + userId + ":" + standing.bans),
                                    CHECKOUT,
                                    path,
                                    Map.of("reason", reason, "version", standing.standingVersion),
                                    RequestIds.current())))
                    .chain(() -> audit.record(
                            tx,
                            AuditEvent.builder("user.unbanned", "success")
                                    .actor(admin.type(), admin.id())
                                    .details(Map.of(
                                            "userId",
                                            userId.toString(),
                                            "chargebacks",
                                            String.valueOf(standing.chargebacks),
                                            "note",
                                            reason.length() > 500 ? reason.substring(0, 500) : reason))))
                    .replaceWith(standing);
        }));
    }

    public Uni<UserStanding> standing(UUID userId) {
        return pool.preparedQuery(FIND).execute(Tuple.of(userId)).map(UserBans::standing);
    }

    /** SELECT ... FOR UPDATE; null when the user has no standing yet. */
    private static Uni<UserStanding> lock(SqlConnection tx, UUID userId) {
        return tx.preparedQuery(LOCK).execute(Tuple.of(userId)).map(UserBans::standing);
    }

    private static Uni<Void> update(SqlClient tx, UserStanding s) {
        return tx.preparedQuery(UPDATE)
                .execute(Tuple.of(
                        s.userId, s.banned, s.bans, s.standingVersion, SqlTime.of(s.bannedAt), SqlTime.of(s.updatedAt)))
                .replaceWithVoid();
    }

    private static UserStanding standing(RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        Row row = rows.iterator().next();
        UserStanding s = new UserStanding();
        s.userId = row.getUUID("user_id");
        s.chargebacks = row.getInteger("chargebacks");
        s.banned = row.getBoolean("banned");
        s.bans = row.getInteger("bans");
        s.standingVersion = row.getLong("standing_version");
        s.bannedAt = SqlTime.instant(row, "banned_at");
        s.updatedAt = SqlTime.instant(row, "updated_at");
        return s;
    }
}
