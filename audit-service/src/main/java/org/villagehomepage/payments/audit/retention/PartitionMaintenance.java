package org.villagehomepage.payments.audit.retention;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.audit.AuditSettings;
import org.villagehomepage.payments.common.problem.FailureKind;

/**
 * Keeps the monthly partitions of the current month and the next months ready, so an insert never
 * finds its month missing. Runs at start (after the migrations) and on a schedule; the database
 * function takes a lock, so replicas doing it together are fine.
 */
@ApplicationScoped
public class PartitionMaintenance {

    private static final Logger LOG = Logger.getLogger(PartitionMaintenance.class);

    private final Pool pool;
    private final AuditSettings settings;

    public PartitionMaintenance(Pool pool, AuditSettings settings) {
        this.pool = pool;
        this.settings = settings;
    }

    void onStart(@Observes StartupEvent event) {
        ensure().await().atMost(Duration.ofSeconds(30));
    }

    @Scheduled(
            every = "${audit.partitions.check-every}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return ensure().onFailure().recoverWithItem(e -> {
            LOG.warnf("Audit partitions not ensured: %s", FailureKind.of(e));
            return null;
        });
    }

    public Uni<Void> ensure() {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT ensure_partitions($1)")
                        .execute(Tuple.of(settings.partitions().monthsAhead())))
                .replaceWithVoid();
    }
}
