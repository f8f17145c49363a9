package org.villagehomepage.payments.webhook.dispatch;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.outbox.OutboxSettings;
import org.villagehomepage.payments.common.outbox.QueueScans;
import org.villagehomepage.payments.common.outbox.SqlOutbox;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.webhook.audit.AuditOutbox;

/**
 * Follows stored events to their receivers: marks events whose outbox message was delivered as
 * processed (once, also with two replicas: SKIP LOCKED), observes the received -> processed lag,
 * audits {@code webhook.dispatched}, and refreshes the events-by-status gauge.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class ProcessingTracker {

    private static final Logger LOG = Logger.getLogger(ProcessingTracker.class);
    private static final int CHUNK = 1000;
    /*
     * An event whose message the outbox clean-up removed was delivered too (it deletes only delivered
     * messages older than keep-delivered, so only an event received before that can have lost its
     * message that way): it is marked when found, without a lag (its delivery time went with the
     * message), so it does not stay in the unprocessed index for every later scan.
     */
    private static final String MARK = """
            WITH done AS (
                SELECT e.event_id, m.delivered_at FROM webhook_event e LEFT JOIN outbox_message m ON m.id = e.message_id
                WHERE e.processed_at IS NULL
                  AND (m.status = 'delivered'
                       OR (m.id IS NULL AND e.received_at < now() - make_interval(secs => $2)))
                ORDER BY e.received_at LIMIT $1
                FOR UPDATE OF e SKIP LOCKED)
            UPDATE webhook_event e SET processed_at = coalesce(done.delivered_at, now()) FROM done
            WHERE e.event_id = done.event_id
            RETURNING e.event_id, e.type, e.object_id, e.destination,
                      CASE WHEN done.delivered_at IS NOT NULL -- greatest() would turn a missing time into 0
                           THEN greatest(0, extract(epoch FROM done.delivered_at - e.received_at))::float8 END AS lag_seconds""";
    private static final String TALLY = "UPDATE webhook_event_tally SET processed = processed + $1 WHERE id = 1";
    // Unprocessed events by status over the partial index; the marked ones from the tally.
    private static final String COUNT = """
            SELECT %s AS status, count(*) AS n
            FROM webhook_event e LEFT JOIN outbox_message m ON m.id = e.message_id
            WHERE e.processed_at IS NULL GROUP BY 1
            UNION ALL
            SELECT 'processed', processed FROM webhook_event_tally WHERE id = 1""".formatted(EventStatus.SQL);

    private final Pool pool;
    private final AuditOutbox audit;
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> byStatus = new ConcurrentHashMap<>();
    private final double keepDeliveredSeconds;

    public ProcessingTracker(Pool pool, AuditOutbox audit, MeterRegistry registry, OutboxSettings outbox) {
        this.pool = pool;
        this.audit = audit;
        this.registry = registry;
        this.keepDeliveredSeconds = outbox.relay().keepDelivered().toSeconds();
        for (String status : EventStatus.ALL) {
            AtomicLong value = new AtomicLong();
            byStatus.put(status, value);
            Gauge.builder("homepage_webhooks_events", value, AtomicLong::get)
                    .tag("status", status)
                    .description("Stored events by status")
                    .register(registry);
        }
        for (String type : org.villagehomepage.payments.webhook.event.EventRoutes.handledTypes()) {
            lagTimer(type); // exported from the start, before the first event is processed
        }
    }

    @Scheduled(
            every = "${webhook.tracking-interval:5s}",
            delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return track().onFailure().recoverWithItem(e -> {
            LOG.warnf("Webhook processing tracking failed: %s", FailureKind.of(e));
            return null;
        });
    }

    /** One round: marks what was delivered since the last round, then refreshes the gauge. */
    public Uni<Void> track() {
        return markProcessed(0).chain(this::refreshGauges);
    }

    private Uni<Void> markProcessed(int round) {
        return QueueScans.inTransaction(
                        pool,
                        connection -> connection
                                .preparedQuery(MARK)
                                .execute(Tuple.of(CHUNK, keepDeliveredSeconds))
                                .call(rows -> rows.rowCount() == 0
                                        ? Uni.createFrom().voidItem()
                                        : audit.record(connection, dispatched(rows), null)
                                                .chain(() -> connection
                                                        .preparedQuery(TALLY)
                                                        .execute(Tuple.of(rows.rowCount()))))
                                .invoke(this::observeLag)
                                .map(rows -> rows.rowCount()))
                .flatMap(marked -> marked == CHUNK && round < 50
                        ? markProcessed(round + 1)
                        : Uni.createFrom().voidItem());
    }

    private List<AuditOutbox.Entry> dispatched(Iterable<Row> rows) {
        List<AuditOutbox.Entry> entries = new ArrayList<>();
        for (Row row : rows) {
            String eventId = row.getString("event_id");
            String objectId = row.getString("object_id");
            entries.add(new AuditOutbox.Entry(
                    SqlOutbox.idFor("webhook.dispatched:" + eventId),
                    "webhook.dispatched",
                    "success",
                    "system",
                    "system",
                    objectId != null && objectId.startsWith("pi_") ? objectId : null,
                    null,
                    null,
                    Map.of(
                            "eventId",
                            eventId,
                            "eventType",
                            row.getString("type"),
                            "destination",
                            row.getString("destination"))));
        }
        return entries;
    }

    private void observeLag(Iterable<Row> rows) {
        for (Row row : rows) {
            Double lagSeconds = row.getDouble("lag_seconds");
            if (lagSeconds != null) {
                lagTimer(row.getString("type")).record(Duration.ofNanos(Math.round(lagSeconds * 1e9)));
            }
        }
    }

    private Timer lagTimer(String eventType) {
        return Timer.builder("homepage_webhooks_processing_lag")
                .description("Received -> processed by the receiving service")
                .tag("event_type", eventType)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
    }

    private Uni<Void> refreshGauges() {
        return QueueScans.inTransaction(
                        pool, connection -> connection.query(COUNT).execute())
                .invoke(rows -> {
                    Map<String, Long> counts = new ConcurrentHashMap<>();
                    for (Row row : rows) {
                        counts.merge(row.getString("status"), row.getLong("n"), Long::sum);
                    }
                    byStatus.forEach((status, value) -> value.set(counts.getOrDefault(status, 0L)));
                })
                .replaceWithVoid();
    }
}
