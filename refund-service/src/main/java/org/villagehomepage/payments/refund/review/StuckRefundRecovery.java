package org.villagehomepage.payments.refund.review;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.outbox.QueueScans;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.refund.Actor;
import org.villagehomepage.payments.refund.RefundSettings;
import org.villagehomepage.payments.refund.request.RefundRequestRepository;

/**
 * A crash between the reservation and Stripe's answer leaves a request approved. This job drives
 * such requests again with their own idempotency key, after looking for the refund at Stripe.
 */
@ApplicationScoped
public class StuckRefundRecovery {

    private static final Logger LOG = Logger.getLogger(StuckRefundRecovery.class);

    private final Pool pool;
    private final RefundRequestRepository requests;
    private final RefundExecution execution;
    private final RefundSettings settings;
    private final Clock clock;

    public StuckRefundRecovery(
            Pool pool,
            RefundRequestRepository requests,
            RefundExecution execution,
            RefundSettings settings,
            Clock clock) {
        this.pool = pool;
        this.requests = requests;
        this.execution = execution;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(
            every = "${refunds.recovery-interval:60s}",
            delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return recover()
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("Stuck refund recovery failed: %s", FailureKind.of(e));
                    return 0;
                })
                .replaceWithVoid();
    }

    /**
     * Drives at most {@code refunds.recovery-batch} approved requests older than
     * {@code refunds.stuck-after} whose recovery is due; answers how many. Each is claimed (its next
     * due time pushed back) before it is driven, so one still pending at Stripe waits its backoff
     * and the next run reaches the ones behind it.
     */
    public Uni<Integer> recover() {
        java.time.Instant now = clock.instant();
        // the claim and the read of what it claimed commit together; each drive is its own transaction.
        // A queue scan (refund_request_recovery): planned with its parameters every time.
        return QueueScans.inTransaction(
                        pool,
                        tx -> requests.claimStuck(
                                        tx,
                                        now.minus(settings.stuckAfter()),
                                        now,
                                        settings.recoveryBatch(),
                                        settings.stuckAfter(),
                                        settings.recoveryMaxBackoff())
                                .flatMap(ids -> requests.byIds(tx, ids)))
                .flatMap(stuck -> Multi.createFrom()
                        .iterable(stuck)
                        .onItem()
                        .transformToUniAndConcatenate(
                                request -> execution.drive(RefundOrder.of(request, Actor.SYSTEM), true))
                        .collect()
                        .asList()
                        .map(done -> {
                            if (!done.isEmpty()) {
                                LOG.infof("Drove %d stuck refund requests to Stripe", done.size());
                            }
                            return done.size();
                        }));
    }
}
