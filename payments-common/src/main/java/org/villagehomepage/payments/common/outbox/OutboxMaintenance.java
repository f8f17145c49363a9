package org.villagehomepage.payments.common.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.problem.FailureKind;

/** Gauges for alerts (lag, pending, dead) and the clean-up of old delivered and processed ids. */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class OutboxMaintenance {

    private static final Logger LOG = Logger.getLogger(OutboxMaintenance.class);
    private static final String STATS = """
            SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
                   count(*) FILTER (WHERE status = 'dead') AS dead,
                   coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending')), 0) AS lag
            FROM outbox_message WHERE status <> 'delivered'""";

    private final Pool pool;
    private final OutboxSettings settings;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong dead = new AtomicLong();
    private final AtomicLong lagMillis = new AtomicLong();

    public OutboxMaintenance(Pool pool, OutboxSettings settings, MeterRegistry metrics) {
        this.pool = pool;
        this.settings = settings;
        Gauge.builder("homepage_outbox_pending_messages", pending, AtomicLong::get).register(metrics);
        Gauge.builder("homepage_outbox_dead_messages", dead, AtomicLong::get).register(metrics);
        Gauge.builder("homepage_outbox_lag_seconds", lagMillis, v -> v.get() / 1000.0).register(metrics);
    }

    @Scheduled(every = "10s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshGauges() {
        return pool.query(STATS).execute().invoke(rows -> {
            Row row = rows.iterator().next();
            pending.set(row.getLong("pending"));
            dead.set(row.getLong("dead"));
            lagMillis.set(Math.round(row.getDouble("lag") * 1000));
        }).replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("Outbox gauges not refreshed: %s", FailureKind.of(e));
            return null;
        });
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> cleanUp() {
        double keepSeconds = settings.relay().keepDelivered().toSeconds();
        return pool.preparedQuery("DELETE FROM outbox_message WHERE status = 'delivered' AND delivered_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of(keepSeconds))
                .flatMap(ignored -> pool.preparedQuery("DELETE FROM processed_message WHERE processed_at < now() - make_interval(secs => $1)")
                        .execute(Tuple.of((double) settings.relay().keepProcessedIds().toSeconds())))
                .replaceWithVoid()
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("Outbox clean-up failed: %s", FailureKind.of(e));
                    return null;
                });
    }
}
