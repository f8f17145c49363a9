package org.villagehomepage.payments.checkout.listing;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.CheckoutSettings;
import org.villagehomepage.payments.checkout.web.Audits;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.outbox.QueueScans;
import org.villagehomepage.payments.common.problem.FailureKind;

/**
 * Ends active listings past {@code expires_at}. Each replica locks its batch with SKIP LOCKED, so
 * replicas split the work and no listing expires (or is audited) twice.
 */
@ApplicationScoped
public class ListingExpiryJob {

    private static final Logger LOG = Logger.getLogger(ListingExpiryJob.class);

    private final Pool pool;
    private final AuditTrail audit;
    private final CheckoutSettings settings;

    public ListingExpiryJob(Pool pool, AuditTrail audit, CheckoutSettings settings) {
        this.pool = pool;
        this.audit = audit;
        this.settings = settings;
    }

    @Scheduled(
            every = "${checkout.jobs.every:1m}",
            delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return runOnce()
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("Listing expiration job: %d listings expired", n);
                    }
                })
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("Listing expiration job failed: %s", FailureKind.of(e));
                    return 0;
                })
                .replaceWithVoid();
    }

    public Uni<Integer> runOnce() {
        return expireBatch().map(List::size);
    }

    /**
     * One batch, in one transaction; returns the ids of the listings it expired. A queue scan
     * (listing_expiry), planned with its parameters every time.
     */
    public Uni<List<UUID>> expireBatch() {
        String requestId = RequestIds.current();
        return QueueScans.inTransaction(
                pool,
                tx -> ListingRows.lockExpired(
                                tx, OffsetDateTime.now(), settings.jobs().batchSize())
                        .chain(due -> Multi.createFrom()
                                .iterable(due)
                                .onItem()
                                .transformToUniAndConcatenate(listing -> {
                                    listing.moveTo(ListingStatus.EXPIRED);
                                    return ListingRows.update(tx, listing)
                                            .chain(() -> audit.record(
                                                    tx,
                                                    Audits.bySystem("listing.expired")
                                                            .listing(listing.id)
                                                            .details(Map.of("expiresAt", listing.expiresAt.toString())),
                                                    requestId));
                                })
                                .collect()
                                .asList()
                                .map(done ->
                                        due.stream().map(listing -> listing.id).toList())));
    }
}
