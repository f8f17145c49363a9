package org.villagehomepage.payments.checkout.promotion;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.CheckoutSettings;
import org.villagehomepage.payments.common.problem.FailureKind;

/** Ends featured promotions past their end, a batch per run and transaction. */
@ApplicationScoped
public class PromotionExpiryJob {

    private static final Logger LOG = Logger.getLogger(PromotionExpiryJob.class);

    private final PromotionService promotions;
    private final CheckoutSettings settings;

    public PromotionExpiryJob(PromotionService promotions, CheckoutSettings settings) {
        this.promotions = promotions;
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
                        LOG.infof("Promotion expiration job: %d featured promotions ended", n);
                    }
                })
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("Promotion expiration job failed: %s", FailureKind.of(e));
                    return 0;
                })
                .replaceWithVoid();
    }

    public Uni<Integer> runOnce() {
        return expireBatch().map(List::size);
    }

    /** One batch, in one transaction; returns the promotions it ended. */
    public Uni<List<Promotion>> expireBatch() {
        return promotions.expireDue(settings.jobs().batchSize());
    }
}
