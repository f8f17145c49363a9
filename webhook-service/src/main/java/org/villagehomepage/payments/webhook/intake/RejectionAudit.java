package org.villagehomepage.payments.webhook.intake;

import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.http.SourceRateLimiter;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.webhook.WebhookSettings;
import org.villagehomepage.payments.webhook.audit.AuditOutbox;
import org.villagehomepage.payments.webhook.signature.SignatureFailure;

/**
 * Audits refused deliveries ({@code webhook.rejected} with the source address) so audit-service can
 * spot repeated failures from one source. A forger must not be able to turn refusals into database
 * or log load, so records and warnings are rate-limited per source and overall; refusals beyond the
 * limits are only counted (metric), and the next record of that source carries how many it stands for.
 */
@ApplicationScoped
public class RejectionAudit {

    private static final Logger LOG = Logger.getLogger(RejectionAudit.class);

    private final Pool pool;
    private final AuditOutbox audit;
    private final SourceRateLimiter limiter;

    public RejectionAudit(Pool pool, AuditOutbox audit, WebhookSettings settings) {
        this.pool = pool;
        this.audit = audit;
        WebhookSettings.Rejections limits = settings.rejections();
        this.limiter = new SourceRateLimiter(
                limits.burstPerSource(),
                limits.perSourcePerMinute(),
                limits.perSecond(),
                limits.maxSources(),
                System.nanoTime());
    }

    void rejected(String sourceIp, SignatureFailure failure, String requestId) {
        Long represents = limiter.admit(sourceIp, System.nanoTime());
        if (represents == null) {
            LOG.debugf("Invalid Stripe webhook signature: reason=%s, source=%s", failure.reason(), sourceIp);
            return;
        }
        // Never the payload or the header: where it came from, why it failed, how many it stands for.
        LOG.warnf(
                "Invalid Stripe webhook signature: reason=%s, source=%s, refusals=%d",
                failure.reason(), sourceIp, represents);
        AuditOutbox.Entry entry = new AuditOutbox.Entry(
                UUID.randomUUID(),
                "webhook.rejected",
                "denied",
                "stripe",
                "unverified",
                null,
                requestId,
                sourceIp,
                Map.of("reason", failure.reason(), "failures", Long.toString(represents)));
        // Not awaited: the refusal is answered whether or not its audit row can be written.
        audit.record(pool, List.of(entry), requestId)
                .subscribe()
                .with(
                        ignored -> {},
                        e -> LOG.warnf("Audit of a refused webhook delivery not written: %s", FailureKind.of(e)));
    }
}
