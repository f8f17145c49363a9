package org.villagehomepage.payments.webhook.amounts;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.webhook.WebhookSettings;

/**
 * Daily: the last {@code webhook.amounts.days} days up to yesterday. Its result is the
 * {@code homepage_reconciliation_amount_differences} gauge (alert ReconciliationAmountDifferences).
 * Read-only, so replicas running it at once do no harm.
 */
@ApplicationScoped
public class AmountReconciliationJob {

    private static final Logger LOG = Logger.getLogger(AmountReconciliationJob.class);

    private final AmountReconciliation reconciliation;
    private final WebhookSettings.Amounts settings;
    private final Clock clock;

    public AmountReconciliationJob(AmountReconciliation reconciliation, WebhookSettings settings, Clock clock) {
        this.reconciliation = reconciliation;
        this.settings = settings.amounts();
        this.clock = clock;
    }

    @Scheduled(
            cron = "${webhook.amounts.cron:0 30 3 * * ?}",
            timeZone = "UTC",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Disabled.class)
    Uni<Void> scheduled() {
        LocalDate yesterday =
                LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
        return reconciliation
                .run(yesterday.minusDays(Math.max(0, settings.days() - 1)), yesterday)
                .invoke(report -> LOG.infof(
                        "Amount reconciliation %s..%s: %d payments, %d differences",
                        report.from(), report.to(), report.payments(), report.differenceCount()))
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("Amount reconciliation failed; the next run covers the same days: %s", e.getMessage());
                    return null;
                });
    }

    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {

        private final boolean enabled;

        public Disabled(WebhookSettings settings) {
            this.enabled = settings.amounts().enabled();
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !enabled;
        }
    }
}
