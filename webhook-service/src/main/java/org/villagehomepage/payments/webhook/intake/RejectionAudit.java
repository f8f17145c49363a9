package org.villagehomepage.payments.webhook.intake;

import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.webhook.WebhookSettings;
import org.villagehomepage.payments.webhook.audit.AuditOutbox;
import org.villagehomepage.payments.webhook.signature.SignatureFailure;

/**
 * Audits refused deliveries ({@code webhook.rejected} with the source address) so audit-service can
 * spot repeated failures from one source. A forger must not be able to turn refusals into database
 * load: token buckets per source and overall bound the rows written; refusals beyond them are only
 * counted and logged, and the next record of that source says how many it stands for.
 */
@ApplicationScoped
public class RejectionAudit {

    private static final Logger LOG = Logger.getLogger(RejectionAudit.class);

    private final Pool pool;
    private final AuditOutbox audit;
    private final WebhookSettings.Rejections limits;
    private final Map<String, Bucket> sources = new HashMap<>();
    private final Bucket overall;

    public RejectionAudit(Pool pool, AuditOutbox audit, WebhookSettings settings) {
        this.pool = pool;
        this.audit = audit;
        this.limits = settings.rejections();
        this.overall = new Bucket(limits.perSecond(), limits.perSecond() / 1e9, System.nanoTime());
    }

    /** Tokens refill continuously; {@code suppressed} counts refusals that found the bucket empty. */
    private static final class Bucket {
        final double capacity;
        final double perNano;
        double tokens;
        long updated;
        long suppressed;

        Bucket(double capacity, double perNano, long now) {
            this.capacity = capacity;
            this.perNano = perNano;
            this.tokens = capacity;
            this.updated = now;
        }

        boolean take(long now) {
            tokens = Math.min(capacity, tokens + (now - updated) * perNano);
            updated = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }

        boolean full(long now) {
            return tokens + (now - updated) * perNano >= capacity;
        }
    }

    void rejected(String sourceIp, SignatureFailure failure, String requestId) {
        Long represents = admit(sourceIp, System.nanoTime());
        if (represents == null) {
            return;
        }
        AuditOutbox.Entry entry = new AuditOutbox.Entry(UUID.randomUUID(), "webhook.rejected", "denied", "stripe", "unverified",
                null, requestId, sourceIp, Map.of("reason", failure.reason(), "failures", Long.toString(represents)));
        // Not awaited: the refusal is answered whether or not its audit row can be written.
        audit.record(pool, java.util.List.of(entry), requestId).subscribe().with(
                ignored -> { },
                e -> LOG.warnf("Audit of a refused webhook delivery not written: %s", FailureKind.of(e)));
    }

    /** How many refusals this record stands for, or null when it must not be written. */
    synchronized Long admit(String source, long now) {
        Bucket bucket = sources.get(source);
        if (bucket == null) {
            if (sources.size() >= limits.maxSources()) {
                forgetIdle(now);
            }
            if (sources.size() >= limits.maxSources()) {
                return null;
            }
            bucket = new Bucket(limits.burstPerSource(), limits.perSourcePerMinute() / 60e9, now);
            sources.put(source, bucket);
        }
        if (!bucket.take(now) || !overall.take(now)) {
            bucket.suppressed++;
            return null;
        }
        long represents = bucket.suppressed + 1;
        bucket.suppressed = 0;
        return represents;
    }

    private void forgetIdle(long now) {
        for (Iterator<Bucket> it = sources.values().iterator(); it.hasNext(); ) {
            Bucket bucket = it.next();
            if (bucket.suppressed == 0 && bucket.full(now)) {
                it.remove();
            }
        }
    }
}
