package org.villagehomepage.payments.audit.detection;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.problem.FailureKind;

/** Runs the rules on a schedule; findings reach ops through {@code homepage_audit_findings_total}. */
@ApplicationScoped
public class DetectionJob {

    private static final Logger LOG = Logger.getLogger(DetectionJob.class);

    private final DetectionService detection;

    public DetectionJob(DetectionService detection) {
        this.detection = detection;
    }

    @Scheduled(
            every = "${audit.detection.every}",
            delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> detect() {
        return detection
                .run(Instant.now())
                .invoke(findings -> findings.forEach(f -> LOG.warnf(
                        "Suspicious activity: rule %s, subject %s, %d observed", f.rule(), f.subject(), f.observed())))
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("Detection did not run: %s", FailureKind.of(e));
                    return null;
                });
    }
}
