package org.villagehomepage.payments.refund.review;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.refund.RefundMetrics;
import org.villagehomepage.payments.refund.request.RefundRequestRepository;

/** Keeps homepage_refunds_pending at the number of requests waiting for review (read from the table). */
@ApplicationScoped
public class PendingRefundsGauge {

    private static final Logger LOG = Logger.getLogger(PendingRefundsGauge.class);

    private final Pool pool;
    private final RefundRequestRepository requests;
    private final RefundMetrics metrics;

    public PendingRefundsGauge(Pool pool, RefundRequestRepository requests, RefundMetrics metrics) {
        this.pool = pool;
        this.requests = requests;
        this.metrics = metrics;
    }

    @Scheduled(
            every = "${refunds.pending-gauge-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return refresh()
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("Pending refunds gauge not refreshed: %s", FailureKind.of(e));
                    return 0L;
                })
                .replaceWithVoid();
    }

    public Uni<Long> refresh() {
        return requests.pendingCount(pool).invoke(metrics::pending);
    }
}
