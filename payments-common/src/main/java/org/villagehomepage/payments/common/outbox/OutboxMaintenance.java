package org.villagehomepage.payments.common.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.problem.FailureKind;

/**
 * Gauges for alerts per destination (pending, dead, backlog age), registered at zero for every
 * configured destination at start, and the clean-up of old delivered and processed ids.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class OutboxMaintenance {

    private static final Logger LOG = Logger.getLogger(OutboxMaintenance.class);
    private static final String STATS = """
            SELECT destination,
                   count(*) FILTER (WHERE status = 'pending') AS pending,
                   count(*) FILTER (WHERE status = 'dead') AS dead,
                   coalesce(extract(epoch FROM now() - min(created_at) FILTER (WHERE status = 'pending')), 0)::float8 AS lag
            FROM (SELECT destination, status, created_at FROM outbox_message WHERE status = 'pending'
                  UNION ALL
                  SELECT destination, status, created_at FROM outbox_message WHERE status = 'dead') waiting
            GROUP BY destination""";

    private final Pool pool;
    private final OutboxSettings settings;
    private final MeterRegistry metrics;
    private final Map<String, Stats> byDestination = new ConcurrentHashMap<>();

    /** One destination's figures, read by its gauges. */
    static final class Stats {
        final AtomicLong pending = new AtomicLong();
        final AtomicLong dead = new AtomicLong();
        final AtomicLong lagMillis = new AtomicLong();
    }

    public OutboxMaintenance(Pool pool, OutboxSettings settings, MeterRegistry metrics) {
        this.pool = pool;
        this.settings = settings;
        this.metrics = metrics;
        settings.destinations().keySet().forEach(this::stats);
    }

    private Stats stats(String destination) {
        return byDestination.computeIfAbsent(destination, d -> {
            Stats stats = new Stats();
            Tags tags = Tags.of("destination", d);
            Gauge.builder("homepage_outbox_pending_messages", stats.pending, AtomicLong::get)
                    .tags(tags)
                    .register(metrics);
            Gauge.builder("homepage_outbox_dead_messages", stats.dead, AtomicLong::get)
                    .tags(tags)
                    .register(metrics);
            Gauge.builder("homepage_outbox_lag_seconds", stats.lagMillis, v -> v.get() / 1000.0)
                    .tags(tags)
                    .register(metrics);
            // the retry counter exists from start too, so rate() and alerts see a clean zero
            metrics.counter("homepage_outbox_delivery_attempts_total", "destination", d, "outcome", "retry");
            return stats;
        });
    }

    @Scheduled(every = "10s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshGauges() {
        // over the two partial indexes, not the whole table of delivered messages
        return QueueScans.inTransaction(
                        pool, connection -> connection.query(STATS).execute())
                .invoke(rows -> {
                    Map<String, Stats> seen = new HashMap<>();
                    for (Row row : rows) {
                        Stats stats = stats(row.getString("destination"));
                        stats.pending.set(row.getLong("pending"));
                        stats.dead.set(row.getLong("dead"));
                        stats.lagMillis.set(Math.round(row.getDouble("lag") * 1000));
                        seen.put(row.getString("destination"), stats);
                    }
                    byDestination.forEach((destination, stats) -> {
                        if (!seen.containsKey(destination)) { // nothing pending or dead any more
                            stats.pending.set(0);
                            stats.dead.set(0);
                            stats.lagMillis.set(0);
                        }
                    });
                })
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("Outbox gauges not refreshed: %s", FailureKind.of(e));
                    return null;
                });
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> cleanUp() {
        double keepSeconds = settings.relay().keepDelivered().toSeconds();
        return pool.preparedQuery(
                        "DELETE FROM outbox_message WHERE status = 'delivered' AND delivered_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of(keepSeconds))
                .flatMap(ignored -> pool.preparedQuery(
                                "DELETE FROM processed_message WHERE processed_at < now() - make_interval(secs => $1)")
                        .execute(Tuple.of(
                                (double) settings.relay().keepProcessedIds().toSeconds())))
                .replaceWithVoid()
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("Outbox clean-up failed: %s", FailureKind.of(e));
                    return null;
                });
    }
}
