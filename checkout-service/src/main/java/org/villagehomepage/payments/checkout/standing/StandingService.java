package org.villagehomepage.payments.checkout.standing;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.web.Audits;
import org.villagehomepage.payments.checkout.web.CardNumbers;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.outbox.InboxGuard;

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

    /** True when this delivery changed something; false for a message already applied. */
    @WithTransaction
    public Uni<Boolean> apply(UUID userId, boolean banned, String reason, Integer chargebacks, String messageId) {
        return firstDelivery(messageId).chain(first -> !first ? Uni.createFrom().item(false)
                : standings.lock(userId)
                        .chain(standing -> standing != null ? Uni.createFrom().item(standing) : standings.persist(fresh(userId)))
                        .chain(standing -> {
                            standing.banned = banned;
                            standing.reason = CardNumbers.redact(reason);
                            if (chargebacks != null) {
                                standing.chargebacks = chargebacks;
                            }
                            standing.updatedAt = OffsetDateTime.now();
                            LOG.infof("User %s %s", userId, banned ? "banned" : "unbanned");
                            return audit.record(Audits.byService(banned ? "user.banned" : "user.unbanned", Audits.SUCCESS)
                                    .details(Map.of("userId", userId.toString(), "reason", String.valueOf(standing.reason))));
                        })
                        .replaceWith(true));
    }

    private Uni<Boolean> firstDelivery(String messageId) {
        // Without a message id (a direct call), setting the same standing again is harmless.
        return messageId == null ? Uni.createFrom().item(true) : inbox.firstDelivery(messageId);
    }

    private static UserStanding fresh(UUID userId) {
        UserStanding standing = new UserStanding();
        standing.userId = userId;
        standing.updatedAt = OffsetDateTime.now();
        return standing;
    }
}
