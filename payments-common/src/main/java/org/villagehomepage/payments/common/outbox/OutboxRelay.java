package org.villagehomepage.payments.common.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.security.ServiceTokens;

/**
 * Delivers outbox messages to their receivers: claims due rows with FOR UPDATE SKIP LOCKED and a
 * lease (so replicas never share a row and no lock is held during HTTP), POSTs each with a service
 * token (this service as sender, the destination as audience) and its message id, then records
 * success, or schedules a retry with exponential backoff and jitter. A message is dead-lettered
 * early only on a permanent answer (a 4xx other than 408, 409, 429); otherwise only once it has
 * failed {@code max-attempts} times and is older than {@code retry-window} (4 days: a receiver
 * outage of Stripe's 3-day retry window is ridden out). Delivery is at least once; the receiver
 * deduplicates by (sender, {@code X-Message-Id}).
 *
 * <p>A claim outlives its delivery: a cycle claims only as many rows as it sends at once
 * ({@code batch-size}, one pooled connection each), a send starts only while the lease still
 * covers a whole request timeout plus a margin, and the request timeout bounds the whole exchange.
 * So no other replica can claim a row while it is being sent.
 */
@ApplicationScoped
public class OutboxRelay {

    public static final String MESSAGE_ID_HEADER = "X-Message-Id";
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private static final String CLAIM = """
            UPDATE outbox_message m SET claimed_until = now() + make_interval(secs => $1)
            FROM (SELECT id FROM outbox_message
                  WHERE status = 'pending' AND available_at <= now()
                    AND (claimed_until IS NULL OR claimed_until < now())
                  ORDER BY available_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
            WHERE m.id = due.id
            RETURNING m.id, m.destination, m.path, m.payload, m.request_id, m.attempts, m.claimed_until,
                extract(epoch FROM now() - m.created_at)::float8 AS age_seconds""";
    private static final String DELIVERED = """
            UPDATE outbox_message SET status = 'delivered', delivered_at = now(), attempts = attempts + 1,
                claimed_until = NULL, last_error = NULL
            WHERE id = $1 AND claimed_until = $2""";
    private static final String FAILED = """
            UPDATE outbox_message SET attempts = attempts + 1, claimed_until = NULL, last_error = $2,
                status = $3, available_at = now() + make_interval(secs => $4)
            WHERE id = $1 AND claimed_until = $5""";
    private static final String RELEASE =
            "UPDATE outbox_message SET claimed_until = NULL WHERE id = $1 AND claimed_until = $2";

    private final Pool pool;
    private final WebClient http;
    private final OutboxSettings settings;
    private final ServiceTokens tokens;
    private final MeterRegistry metrics;
    private final io.vertx.mutiny.core.Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean stopping;
    private long timer = -1;

    public OutboxRelay(
            Pool pool,
            io.vertx.mutiny.core.Vertx vertx,
            OutboxSettings settings,
            ServiceTokens tokens,
            MeterRegistry metrics) {
        this.pool = pool;
        // One connection per message sent at once: a send never waits for a connection inside its lease.
        this.http = WebClient.create(
                vertx, new WebClientOptions().setMaxPoolSize(settings.relay().batchSize()));
        this.settings = settings;
        this.tokens = tokens;
        this.metrics = metrics;
        this.vertx = vertx;
    }

    /** A Vert.x timer rather than @Scheduled: the scheduler does not go below one second. */
    void start(@Observes StartupEvent event) {
        if (sendWindow().isNegative() || sendWindow().isZero()) {
            throw new IllegalStateException(
                    "outbox.relay.lease must exceed outbox.relay.request-timeout by more than a tenth of the lease");
        }
        if (settings.relay().enabled()) {
            timer = vertx.setPeriodic(settings.relay().interval().toMillis(), id -> tick());
        }
    }

    /**
     * Graceful shutdown: no new claims, and the deliveries in flight finish and record their
     * outcome (bounded by the lease), so a rolling restart neither leaves them to the lease's
     * expiry nor cuts a request the receiver is applying.
     */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        vertx.cancelTimer(timer);
        long deadline = System.nanoTime() + settings.relay().lease().toNanos();
        while (running.get() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** How long after its claim a message may still be sent: its whole request fits in the lease, with a margin to record the outcome. */
    Duration sendWindow() {
        Duration lease = settings.relay().lease();
        return lease.minus(settings.relay().requestTimeout()).minus(lease.dividedBy(10));
    }

    private void tick() {
        if (stopping || !running.compareAndSet(false, true)) {
            return; // the previous cycle is still delivering
        }
        drain();
    }

    /** Claims again at once while batches come back full: a backlog drains at delivery speed, not tick speed. */
    private void drain() {
        relayDue()
                .subscribe()
                .with(
                        count -> {
                            if (count >= settings.relay().batchSize() && !stopping) {
                                drain();
                            } else {
                                running.set(false);
                            }
                        },
                        e -> {
                            running.set(false);
                            cycleFailed(e);
                        });
    }

    /** The kind only, never the exception: its trace and driver message can carry SQL or data. */
    static void cycleFailed(Throwable e) {
        LOG.warnf("Outbox relay cycle failed: %s", FailureKind.of(e));
    }

    /** One cycle: claims and delivers the messages that are due; answers how many it claimed. */
    public Uni<Integer> relayDue() {
        double leaseSeconds = settings.relay().lease().toMillis() / 1000.0;
        long sendBefore = System.nanoTime() + sendWindow().toNanos(); // measured from before the claim: conservative
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(leaseSeconds, settings.relay().batchSize()))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (Row row : rows) {
                        claimed.add(new Claimed(
                                row.getUUID("id"),
                                row.getString("destination"),
                                row.getString("path"),
                                row.getString("payload"),
                                row.getString("request_id"),
                                row.getInteger("attempts"),
                                row.getOffsetDateTime("claimed_until"),
                                row.getDouble("age_seconds")));
                    }
                    return claimed;
                })
                .flatMap(claimed -> Multi.createFrom()
                        .iterable(claimed)
                        .onItem()
                        .transformToUni(message -> System.nanoTime() < sendBefore ? deliver(message) : release(message))
                        .merge(Math.max(1, claimed.size()))
                        .collect()
                        .last()
                        .replaceWith(claimed.size()));
    }

    /** The lease no longer covers a whole request: give the row back rather than risk sending it twice. */
    private Uni<Void> release(Claimed message) {
        return pool.preparedQuery(RELEASE)
                .execute(Tuple.of(message.id(), message.claimedUntil()))
                .replaceWithVoid();
    }

    private Uni<Void> deliver(Claimed message) {
        String baseUrl = settings.destinations().get(message.destination());
        if (baseUrl == null) {
            return failed(message, "unknown destination " + message.destination(), 0);
        }
        Duration timeout = settings.relay().requestTimeout();
        return http.postAbs(stripSlash(baseUrl) + message.path())
                .timeout(timeout.toMillis())
                .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
                .putHeader(
                        HttpHeaders.AUTHORIZATION.toString(),
                        tokens.bearer(ServiceNames.audienceOf(message.destination())))
                .putHeader(MESSAGE_ID_HEADER, message.id().toString())
                .putHeader(
                        RequestIds.HEADER,
                        message.requestId() == null ? message.id().toString() : message.requestId())
                .sendBuffer(Buffer.buffer(message.payload()))
                // the client's timeout is an idle timeout; this bounds the whole exchange
                .ifNoItem()
                .after(timeout)
                .failWith(() -> new TimeoutException("outbox delivery"))
                .onItemOrFailure()
                .transformToUni((response, failure) -> {
                    if (failure == null && response.statusCode() / 100 == 2) {
                        count(message, "delivered");
                        return pool.preparedQuery(DELIVERED)
                                .execute(Tuple.of(message.id(), message.claimedUntil()))
                                .replaceWithVoid();
                    }
                    return failed(
                            message,
                            failure != null ? FailureKind.of(failure) : "HTTP " + statusOf(response),
                            statusOf(response));
                });
    }

    private Uni<Void> failed(Claimed message, String error, int httpStatus) {
        int attempt = message.attempts() + 1;
        boolean dead = isDead(attempt, message.ageSeconds(), httpStatus);
        count(message, dead ? "dead" : "retry");
        if (dead) {
            LOG.errorf(
                    "Outbox message %s to %s is dead after %d attempts: %s",
                    message.id(), message.destination(), attempt, error);
        } else {
            LOG.warnf(
                    "Outbox message %s to %s failed (attempt %d): %s",
                    message.id(), message.destination(), attempt, error);
        }
        return pool.preparedQuery(FAILED)
                .execute(Tuple.of(
                        message.id(),
                        error,
                        dead ? "dead" : "pending",
                        backoffSeconds(attempt),
                        message.claimedUntil()))
                .replaceWithVoid();
    }

    /**
     * Dead at once on a permanent answer; otherwise only when both limits are used up, so a receiver
     * that is down (refused, timeouts, 5xx, 408/409/429) only delays delivery for the retry window.
     */
    boolean isDead(int attempt, double ageSeconds, int httpStatus) {
        if (isPermanent(httpStatus)) {
            return true;
        }
        return attempt >= settings.relay().maxAttempts()
                && ageSeconds >= settings.relay().retryWindow().toSeconds();
    }

    static boolean isPermanent(int httpStatus) {
        return httpStatus >= 400 && httpStatus < 500 && httpStatus != 408 && httpStatus != 409 && httpStatus != 429;
    }

    /** Exponential backoff with jitter: half the step fixed, half random, so retries spread out. */
    double backoffSeconds(int attempt) {
        double base = settings.relay().baseBackoff().toMillis() / 1000.0;
        double max = settings.relay().maxBackoff().toMillis() / 1000.0;
        double step = Math.min(max, base * Math.pow(2, Math.min(attempt - 1, 30)));
        return step / 2 + ThreadLocalRandom.current().nextDouble() * step / 2;
    }

    private void count(Claimed message, String outcome) {
        metrics.counter(
                        "homepage_outbox_delivery_attempts_total",
                        "destination",
                        message.destination(),
                        "outcome",
                        outcome)
                .increment();
    }

    private static int statusOf(HttpResponse<Buffer> response) {
        return response == null ? 0 : response.statusCode();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** {@code claimedUntil} is the claim's token: only the relay holding the current claim records an outcome. */
    record Claimed(
            UUID id,
            String destination,
            String path,
            String payload,
            String requestId,
            int attempts,
            java.time.OffsetDateTime claimedUntil,
            double ageSeconds) {}
}
