package org.villagehomepage.payments.webhook.reconcile;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.webhook.WebhookSettings;

/** Runs reconciliation every {@code webhook.reconciliation.interval} on whichever replica gets the lease. */
@ApplicationScoped
public class ReconciliationJob {

    private static final Logger LOG = Logger.getLogger(ReconciliationJob.class);

    private final Reconciliation reconciliation;

    public ReconciliationJob(Reconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    @Scheduled(
            every = "${webhook.reconciliation.interval:10m}",
            delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Disabled.class)
    Uni<Void> scheduled() {
        return reconciliation
                .run(new Reconciliation.Trigger("system", "reconciliation-job", null))
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    if (e instanceof ProblemException problem && problem.status() == 409) {
                        LOG.debug("Reconciliation skipped: another replica is running it");
                    } else {
                        // The kind only: a driver or HTTP message can carry SQL, data or a URL with a secret.
                        LOG.warnf(
                                "Reconciliation failed, the next run covers the same window: %s",
                                e instanceof ProblemException problem ? problem.type() : FailureKind.of(e));
                    }
                    return null;
                });
    }

    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {

        private final WebhookSettings settings;

        public Disabled(WebhookSettings settings) {
            this.settings = settings;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !settings.reconciliation().enabled();
        }
    }
}
