package org.villagehomepage.payments.common.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.security.ServiceTokens;

/**
 * Delivers outbox messages to their receivers: claims due rows with FOR UPDATE SKIP LOCKED and a
 * lease (so replicas never share a row and no lock is held during HTTP), POSTs each with a service
 * token (this service as sender, the destination as audience) and its message id, then records success, or schedules a retry with exponential backoff and
 * jitter, or parks the message as dead after the last attempt. Delivery is at least once; the
 * receiver deduplicates by {@code X-Message-Id}.
 */
@ApplicationScoped
public class OutboxRelay {

    public static final String MESSAGE_ID_HEADER = "X-Message-Id";
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final int PARALLEL_DELIVERIES = 16;

    private static final String CLAIM = """
            UPDATE outbox_message m SET claimed_until = now() + make_interval(secs => $1)
            FROM (SELECT id FROM outbox_message
                  WHERE status = 'pending' AND available_at <= now()
                    AND (claimed_until IS NULL OR claimed_until < now())
                  ORDER BY available_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
            WHERE m.id = due.id
            RETURNING m.id, m.destination, m.path, m.payload, m.request_id, m.attempts, m.claimed_until""";
    private static final String DELIVERED = """
            UPDATE outbox_message SET status = 'delivered', delivered_at = now(), attempts = attempts + 1,
                claimed_until = NULL, last_error = NULL
            WHERE id = $1 AND claimed_until = $2""";
    private static final String FAILED = """
            UPDATE outbox_message SET attempts = attempts + 1, claimed_until = NULL, last_error = $2,
                status = CASE WHEN attempts + 1 >= $3 THEN 'dead' ELSE 'pending' END,
                available_at = now() + make_interval(secs => $4)
            WHERE id = $1 AND claimed_until = $5""";

    private final Pool pool;
    private final WebClient http;
    private final OutboxSettings settings;
    private final ServiceTokens tokens;
    private final MeterRegistry metrics;
    private final io.vertx.mutiny.core.Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    public OutboxRelay(Pool pool, io.vertx.mutiny.core.Vertx vertx, OutboxSettings settings, ServiceTokens tokens,
            MeterRegistry metrics) {
        this.pool = pool;
        this.http = WebClient.create(vertx);
        this.settings = settings;
        this.tokens = tokens;
        this.metrics = metrics;
        this.vertx = vertx;
    }

    /** A Vert.x timer rather than @Scheduled: the scheduler does not go below one second. */
    void start(@Observes StartupEvent event) {
        if (settings.relay().enabled()) {
            timer = vertx.setPeriodic(settings.relay().interval().toMillis(), id -> tick());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    private void tick() {
        if (!running.compareAndSet(false, true)) {
            return; // the previous cycle is still delivering
        }
        drain();
    }

    /** Claims again at once while batches come back full: a backlog drains at delivery speed, not tick speed. */
    private void drain() {
        relayDue().subscribe().with(count -> {
            if (count >= settings.relay().batchSize()) {
                drain();
            } else {
                running.set(false);
            }
        }, e -> {
            running.set(false);
            cycleFailed(e);
        });
    }

    /** The kind only, never the exception: its trace and driver message can carry SQL or data. */
    static void cycleFailed(Throwable e) {
        LOG.warnf("Outbox relay cycle failed: %s", FailureKind.of(e));
    }

    /** One cycle: claims and delivers the messages that are due; answers how many it tried. */
    public Uni<Integer> relayDue() {
        double leaseSeconds = settings.relay().lease().toMillis() / 1000.0;
        return pool.preparedQuery(CLAIM).execute(Tuple.of(leaseSeconds, settings.relay().batchSize()))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (Row row : rows) {
                        claimed.add(new Claimed(row.getUUID("id"), row.getString("destination"), row.getString("path"),
                                row.getString("payload"), row.getString("request_id"), row.getInteger("attempts"),
                                row.getOffsetDateTime("claimed_until")));
                    }
                    return claimed;
                })
                .flatMap(claimed -> Multi.createFrom().iterable(claimed)
                        .onItem().transformToUni(this::deliver).merge(PARALLEL_DELIVERIES)
                        .collect().asList()
                        .map(List::size));
    }

    private Uni<Void> deliver(Claimed message) {
        String baseUrl = settings.destinations().get(message.destination());
        if (baseUrl == null) {
            return failed(message, "unknown destination " + message.destination());
        }
        return http.postAbs(stripSlash(baseUrl) + message.path())
                .timeout(settings.relay().requestTimeout().toMillis())
                .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
                .putHeader(HttpHeaders.AUTHORIZATION.toString(), tokens.bearer(ServiceNames.audienceOf(message.destination())))
                .putHeader(MESSAGE_ID_HEADER, message.id().toString())
                .putHeader(RequestIds.HEADER, message.requestId() == null ? message.id().toString() : message.requestId())
                .sendBuffer(Buffer.buffer(message.payload()))
                .onItemOrFailure().transformToUni((response, failure) -> {
                    if (failure == null && response.statusCode() / 100 == 2) {
                        count(message, "delivered");
                        return pool.preparedQuery(DELIVERED).execute(Tuple.of(message.id(), message.claimedUntil())).replaceWithVoid();
                    }
                    return failed(message, failure != null ? FailureKind.of(failure) : "HTTP " + statusOf(response));
                });
    }

    private Uni<Void> failed(Claimed message, String error) {
        int attempt = message.attempts() + 1;
        boolean dead = attempt >= settings.relay().maxAttempts();
        count(message, dead ? "dead" : "retry");
        if (dead) {
            LOG.errorf("Outbox message %s to %s is dead after %d attempts: %s", message.id(), message.destination(), attempt, error);
        } else {
            LOG.warnf("Outbox message %s to %s failed (attempt %d): %s", message.id(), message.destination(), attempt, error);
        }
        return pool.preparedQuery(FAILED)
                .execute(Tuple.of(message.id(), error, settings.relay().maxAttempts(), backoffSeconds(attempt), message.claimedUntil()))
                .replaceWithVoid();
    }

    /** Exponential backoff with jitter: half the step fixed, half random, so retries spread out. */
    double backoffSeconds(int attempt) {
        double base = settings.relay().baseBackoff().toMillis() / 1000.0;
        double max = settings.relay().maxBackoff().toMillis() / 1000.0;
        double step = Math.min(max, base * Math.pow(2, Math.min(attempt - 1, 30)));
        return step / 2 + ThreadLocalRandom.current().nextDouble() * step / 2;
    }

    private void count(Claimed message, String outcome) {
        metrics.counter("homepage_outbox_delivery_attempts_total", "destination", message.destination(), "outcome", outcome)
                .increment();
    }

    private static int statusOf(HttpResponse<Buffer> response) {
        return response == null ? 0 : response.statusCode();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** {@code claimedUntil} is the claim's token: only the relay holding the current claim records an outcome. */
    record Claimed(UUID id, String destination, String path, String payload, String requestId, int attempts,
            java.time.OffsetDateTime claimedUntil) {
    }
}
