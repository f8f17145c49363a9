package org.villagehomepage.payments.audit.chain;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.problem.FailureKind;

/** Verifies the whole chain in the background; a broken link is logged and counted for alerts. */
@ApplicationScoped
public class ChainVerificationJob {

    private static final Logger LOG = Logger.getLogger(ChainVerificationJob.class);

    private final ChainVerifier verifier;

    public ChainVerificationJob(ChainVerifier verifier) {
        this.verifier = verifier;
    }

    @Scheduled(cron = "${audit.chain.verify-cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> verifyAll() {
        return verifier.verify(null, null)
                .invoke(report -> {
                    if (report.intact()) {
                        LOG.infof("Audit chain intact: %d entries checked", report.checked());
                    } else {
                        LOG.errorf(
                                "Audit chain broken at seq %d (%s)",
                                report.brokenAt().seq(), report.brokenAt().reason());
                    }
                })
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("Audit chain verification did not run: %s", FailureKind.of(e));
                    return null;
                });
    }
}
