package org.villagehomepage.payments.refund.ban;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.outbox.SqlOutbox;
import org.villagehomepage.payments.common.panache.AuditTrail;
import org.villagehomepage.payments.common.panache.Outbox;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.refund.Actor;
import org.villagehomepage.payments.refund.RefundSettings;

/**
 * Policy P3: a user with 2 or more chargebacks is banned. The ban (and a super_admin's unban)
 * reaches checkout-service through the outbox, in the transaction that decides it.
 */
@ApplicationScoped
public class UserBans {

    static final String CHECKOUT = "checkout";

    private final Outbox outbox;
    private final AuditTrail audit;
    private final RefundSettings settings;
    private final Clock clock;

    public UserBans(Outbox outbox, AuditTrail audit, RefundSettings settings, Clock clock) {
        this.outbox = outbox;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Counts one new chargeback of the user, inside the caller's transaction; answers whether this
     * chargeback banned them. The upsert locks the user's row, so concurrent disputes count right.
     */
    public Uni<Boolean> countChargeback(UUID userId, String disputeId) {
        Instant now = clock.instant();
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("""
                INSERT INTO user_standing (user_id, chargebacks, updated_at) VALUES (:user, 1, :now)
                ON CONFLICT (user_id) DO UPDATE SET chargebacks = user_standing.chargebacks + 1, updated_at = :now""")
                        .setParameter("user", userId)
                        .setParameter("now", now)
                        .executeUpdate())
                .flatMap(ignored -> UserStanding.<UserStanding>findById(userId, LockModeType.PESSIMISTIC_WRITE))
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
                    return outbox.enqueue(
                                    SqlOutbox.idFor(CHECKOUT + ":ban:" + userId + ":" + standing.bans),
                                    CHECKOUT,
                                    path,
                                    Map.of(
                                            "reason",
                                            "chargebacks",
                                            "chargebacks",
                                            standing.chargebacks,
                                            "version",
                                            standing.standingVersion))
                            .flatMap(ignored -> audit.record(AuditEvent.builder("user.banned", "success")
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
    @WithTransaction
    public Uni<UserStanding> unban(UUID userId, Actor admin, String reason) {
        return UserStanding.<UserStanding>findById(userId, LockModeType.PESSIMISTIC_WRITE)
                .flatMap(standing -> {
                    if (standing == null || !standing.banned) {
                        throw new ProblemException(ProblemType.NOT_BANNED, "The user is not banned");
                    }
                    Instant now = clock.instant();
                    standing.banned = false;
                    standing.standingVersion++;
                    standing.updatedAt = now;
                    String path = "/internal/users/" + userId + "/unban";
                    return outbox.enqueue(
                                    SqlOutbox.idFor(CHECKOUT + ":unban:" + userId + ":" + standing.bans),
                                    CHECKOUT,
                                    path,
                                    Map.of("reason", reason, "version", standing.standingVersion))
                            .flatMap(ignored -> audit.record(AuditEvent.builder("user.unbanned", "success")
                                    .actor(admin.type(), admin.id())
                                    .details(Map.of(
                                            "userId",
                                            userId.toString(),
                                            "chargebacks",
                                            String.valueOf(standing.chargebacks),
                                            "note",
                                            reason.length() > 500 ? reason.substring(0, 500) : reason))))
                            .replaceWith(standing);
                });
    }

    public Uni<UserStanding> standing(UUID userId) {
        return Panache.withSession(() -> UserStanding.<UserStanding>findById(userId));
    }
}
