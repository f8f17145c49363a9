package org.villagehomepage.payments.checkout.standing;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.web.Audits;
import org.villagehomepage.payments.common.cards.CardNumbers;
import org.villagehomepage.payments.common.panache.AuditTrail;
import org.villagehomepage.payments.common.panache.InboxGuard;

/** Bans and unbans sent by refund-service; each message is applied once. */
@ApplicationScoped
public class StandingService {

    private static final Logger LOG = Logger.getLogger(StandingService.class);

    private final StandingRepository standings;
    private final InboxGuard inbox;
    private final AuditTrail audit;

    public StandingService(StandingRepository standings, InboxGuard inbox, AuditTrail audit) {
        this.standings = standings;
        this.inbox = inbox;
        this.audit = audit;
    }

    /**
     * True when this delivery changed something; false for a message already applied, or one older
     * than the last applied (the relay does not keep order, so a retried ban can arrive after a later unban).
     */
    @WithTransaction
    public Uni<Boolean> apply(UUID userId, StandingChange change, String sender, String messageId) {
        return firstDelivery(sender, messageId)
                .chain(first -> !first
                        ? Uni.createFrom().item(false)
                        : standings
                                .lock(userId)
                                .chain(standing -> standing != null
                                        ? Uni.createFrom().item(standing)
                                        : standings.persist(fresh(userId)))
                                .chain(standing -> standing.accepts(change.version())
                                        ? applied(userId, standing, change, sender)
                                                .replaceWith(true)
                                        : stale(userId, standing, change)));
    }

    private Uni<Void> applied(UUID userId, UserStanding standing, StandingChange change, String sender) {
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
        return audit.record(Audits.byService(change.banned() ? "user.banned" : "user.unbanned", Audits.SUCCESS, sender)
                .details(Map.of("userId", userId.toString(), "reason", String.valueOf(standing.reason))));
    }

    private static Uni<Boolean> stale(UUID userId, UserStanding standing, StandingChange change) {
        LOG.infof(
                "Ignored %s of user %s: version %d, already at %d",
                change.banned() ? "ban" : "unban", userId, change.version(), standing.version);
        return Uni.createFrom().item(false);
    }

    private Uni<Boolean> firstDelivery(String sender, String messageId) {
        // Without a message id (a direct call), setting the same standing again is harmless.
        return messageId == null ? Uni.createFrom().item(true) : inbox.firstDelivery(sender, messageId);
    }

    private static UserStanding fresh(UUID userId) {
        UserStanding standing = new UserStanding();
        standing.userId = userId;
        standing.updatedAt = OffsetDateTime.now();
        return standing;
    }
}
