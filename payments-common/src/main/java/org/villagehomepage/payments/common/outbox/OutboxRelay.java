package org.villagehomepage.payments.common.outbox;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.security.ServiceTokens;
import org.villagehomepage.payments.common.sql.CustomPlans;

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
 * <p>A cycle claims up to {@code claim-size} rows and sends {@code batch-size} requests at once (one
 * pooled connection each). Messages to a merged path ({@code merged-paths}: audit-service, which
 * stores each event once by its own id) leave several per request, their events concatenated, so
 * the receiver takes one transaction for them; if it refuses such a request as a whole, each of
 * its messages is sent again alone, so one bad event cannot take the others down.
 *
 * <p>A claim outlives its delivery: a request starts only while the lease still covers a whole
 * request timeout plus a margin (otherwise its rows are given back unsent), and the request
 * timeout bounds the whole exchange. So no other replica can claim a row while it is being sent.
 * The outcomes of a cycle are recorded together, in one statement, once its last send has ended
 * (still inside the lease, which covers the longest send plus the margin), each only under the
 * claim that sent it.
 *
 * <p>The relay runs every {@code interval} and, with {@code listen}, as soon as a message is
 * committed ({@link OutboxListener}).
 */
@ApplicationScoped
public class OutboxRelay {

    public static final String MESSAGE_ID_HEADER = "X-Message-Id";
    /** A merged request stays well inside the receivers' 256 KiB body limit. */
    static final int MERGED_BODY_BYTES = 128 * 1024;
    // outcomes, as counted (homepage_outbox_delivery_attempts_total{outcome}) and as RECORD reads them
    private static final String DELIVERED = "delivered";
    private static final String RETRY = "retry";
    private static final String DEAD = "dead";
    private static final String RELEASED = "released";
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /*
     * The oldest due messages, at most $2 of them, and of those only as many as fit in $3 payload
     * bytes (the first always). octet_length reads the stored size, without de-TOASTing. Each row
     * also answers how many were due (locked), so the relay claims again while a backlog remains.
     * The window sum sits outside the locking query: FOR UPDATE does not allow window functions.
     */
    static final String CLAIM = """
            UPDATE outbox_message m SET claimed_until = now() + make_interval(secs => $1)
            FROM (SELECT id, due_count FROM (
                      SELECT id, count(*) OVER () AS due_count,
                             sum(bytes) OVER (ORDER BY available_at, id) - bytes AS bytes_before
                      FROM (SELECT id, available_at, octet_length(payload) AS bytes FROM outbox_message
                            WHERE status = 'pending' AND available_at <= now()
                              AND (claimed_until IS NULL OR claimed_until < now())
                            ORDER BY available_at LIMIT $2 FOR UPDATE SKIP LOCKED) locked) sized
                  WHERE bytes_before < $3) due
            WHERE m.id = due.id
            RETURNING m.id, m.destination, m.path, m.payload, m.request_id, m.attempts, m.claimed_until,
                extract(epoch FROM now() - m.created_at)::float8 AS age_seconds, due.due_count""";
    /**
     * Every outcome of a cycle in one statement: delivered, retry (pending again after its backoff),
     * dead, or released unsent (no attempt counted). A row is written only while it still carries
     * the claim that sent it ({@code claimed_until} is the claim's token).
     */
    private static final String RECORD = """
            UPDATE outbox_message m SET
                status = CASE o.outcome WHEN 'delivered' THEN 'delivered' WHEN 'dead' THEN 'dead' ELSE 'pending' END,
                attempts = m.attempts + CASE o.outcome WHEN 'released' THEN 0 ELSE 1 END,
                delivered_at = CASE o.outcome WHEN 'delivered' THEN now() ELSE m.delivered_at END,
                last_error = CASE o.outcome WHEN 'released' THEN m.last_error ELSE o.error END,
                available_at = CASE WHEN o.outcome IN ('retry', 'dead') THEN now() + make_interval(secs => o.backoff)
                                    ELSE m.available_at END,
                claimed_until = NULL
            FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::float8[])
                AS o(id, claim, outcome, error, backoff)
            WHERE m.id = o.id AND m.claimed_until = o.claim""";

    private final Pool pool;
    private final WebClient http;
    private final OutboxSettings settings;
    private final ServiceTokens tokens;
    private final MeterRegistry metrics;
    private final io.vertx.mutiny.core.Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    /** Set by a wake-up that came while a cycle was running: that cycle's claim may have missed the row. */
    private final AtomicBoolean wanted = new AtomicBoolean();

    private volatile boolean stopping;
    private long timer = -1;
    private OutboxListener listener;

    public OutboxRelay(
            Pool pool,
            io.vertx.mutiny.core.Vertx vertx,
            OutboxSettings settings,
            ServiceTokens tokens,
            MeterRegistry metrics) {
        this.pool = pool;
        // One connection per request sent at once: a send never waits for a connection inside its lease.
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
        if (settings.relay().claimMaxBytes().asLongValue() <= 0) {
            throw new IllegalStateException("outbox.relay.claim-max-bytes must be positive");
        }
        if (settings.relay().enabled()) {
            timer = vertx.setPeriodic(settings.relay().interval().toMillis(), id -> tick());
            if (settings.relay().listen()) {
                listener = new OutboxListener(pool, vertx, Duration.ofSeconds(1), this::wake);
                listener.start();
            }
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
        if (listener != null) {
            listener.close().subscribe().with(ignored -> {}, e -> {});
        }
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

    /** A message was committed: relay now, or right after the cycle under way. */
    void wake() {
        wanted.set(true);
        tick();
    }

    private void tick() {
        if (stopping || !running.compareAndSet(false, true)) {
            return; // the previous cycle is still delivering (a wake-up left `wanted` set for after it)
        }
        wanted.set(false); // this cycle's claim comes after every wake-up so far
        drain();
    }

    /** Claims again at once while claims come back full: a backlog drains at delivery speed, not tick speed. */
    private void drain() {
        cycle().subscribe()
                .with(
                        cycle -> {
                            // a full claim, or one cut by claim-max-bytes: more are due
                            if ((cycle.due() >= settings.relay().claimSize() || cycle.claimed() < cycle.due())
                                    && !stopping) {
                                drain();
                            } else {
                                running.set(false);
                                if (wanted.get()) {
                                    tick();
                                }
                            }
                        },
                        e -> {
                            running.set(false); // a failed cycle waits for the poll: no loop against a failing database
                            cycleFailed(e);
                        });
    }

    /** The kind only, never the exception: its trace and driver message can carry SQL or data. */
    static void cycleFailed(Throwable e) {
        LOG.warnf("Outbox relay cycle failed: %s", FailureKind.of(e));
    }

    /**
     * One cycle: claims the messages that are due, sends them ({@code batch-size} requests at once,
     * messages to a merged path several per request), and records every outcome in one statement
     * when the last send has ended; answers how many were due (at most claim-size; more than it sent
     * when claim-max-bytes cut the claim).
     */
    public Uni<Integer> relayDue() {
        return cycle().map(Cycle::due);
    }

    /** What one cycle claimed, and how many were due when it claimed (at most claim-size). */
    private record Cycle(int claimed, int due) {}

    private Uni<Cycle> cycle() {
        double leaseSeconds = settings.relay().lease().toMillis() / 1000.0;
        long sendBefore = System.nanoTime() + sendWindow().toNanos(); // measured from before the claim: conservative
        return QueueScans.inTransaction(
                        pool,
                        connection -> connection
                                .preparedQuery(CLAIM)
                                .execute(Tuple.of(
                                        leaseSeconds,
                                        settings.relay().claimSize(),
                                        settings.relay().claimMaxBytes().asLongValue())))
                .flatMap(rows -> {
                    List<Claimed> claimed = claimed(rows);
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().item(new Cycle(0, 0));
                    }
                    int due = rows.iterator().next().getLong("due_count").intValue();
                    return sendAll(
                                    requests(claimed),
                                    sendBefore,
                                    settings.relay().batchSize())
                            .flatMap(this::record)
                            .replaceWith(new Cycle(claimed.size(), due));
                });
    }

    private static List<Claimed> claimed(RowSet<Row> rows) {
        List<Claimed> claimed = new ArrayList<>(rows.size());
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
    }

    /** Each request starts only when a slot is free, so its lease check is made when it would really leave. */
    private Uni<List<Outcome>> sendAll(List<Request> requests, long sendBefore, int atOnce) {
        return Multi.createFrom()
                .iterable(requests)
                .onItem()
                .transformToUni(request -> Uni.createFrom().deferred(() -> sendOrRelease(request, sendBefore)))
                .merge(atOnce)
                .collect()
                .in(ArrayList<Outcome>::new, List::addAll)
                .map(outcomes -> (List<Outcome>) outcomes);
    }

    /**
     * The requests of a cycle: a message alone, or the due messages to one merged path and
     * destination with their events concatenated (up to {@code merge-max} events and
     * {@link #MERGED_BODY_BYTES} of UTF-8), each where its oldest message was claimed.
     */
    List<Request> requests(List<Claimed> claimed) {
        // a merged request keeps the place of its first message, so the oldest rows leave first
        List<Supplier<Request>> slots = new ArrayList<>(claimed.size());
        Map<String, Merging> open = new HashMap<>();
        for (Claimed message : claimed) {
            byte[] body = message.payload().getBytes(StandardCharsets.UTF_8);
            EventList events = mergeable(message) ? EventList.of(body) : null;
            if (events == null || body.length > MERGED_BODY_BYTES) {
                Request alone = Request.alone(message, body);
                slots.add(() -> alone);
                continue;
            }
            String key = message.destination() + ' ' + message.path();
            Merging merging = open.get(key);
            if (merging == null || !merging.fits(events, settings.relay().mergeMax())) {
                merging = new Merging();
                open.put(key, merging);
                slots.add(merging::request);
            }
            merging.add(message, events);
        }
        return slots.stream().map(Supplier::get).toList();
    }

    /** Whether the message may travel with others: a merged path (its body is then checked by {@link EventList#of}). */
    private boolean mergeable(Claimed message) {
        return settings.relay().mergeMax() > 1 && settings.relay().mergedPaths().contains(message.path());
    }

    private Uni<List<Outcome>> sendOrRelease(Request request, long sendBefore) {
        if (System.nanoTime() >= sendBefore) {
            // the lease no longer covers a whole request: give the rows back rather than risk sending them twice
            return Uni.createFrom().item(each(request, message -> new Outcome(message, RELEASED, null, 0)));
        }
        Claimed lead = request.messages().get(0);
        String baseUrl = settings.destinations().get(lead.destination());
        if (baseUrl == null) {
            return Uni.createFrom()
                    .item(each(request, message -> failed(message, "unknown destination " + lead.destination(), 0)));
        }
        // deferred: a request that cannot even be built (no token, a bad URL) fails here, per message
        return Uni.createFrom()
                .deferred(() -> post(stripSlash(baseUrl) + lead.path(), request))
                .onItemOrFailure()
                .transformToUni((response, failure) -> {
                    int status = statusOf(response);
                    if (failure == null && status / 100 == 2) {
                        return Uni.createFrom().item(each(request, message -> {
                            count(message, DELIVERED);
                            return new Outcome(message, DELIVERED, null, 0);
                        }));
                    }
                    if (request.merged() && isPermanent(status)) {
                        // one bad event must not take the others down with it: each goes again alone
                        LOG.warnf(
                                "A request of %d merged outbox messages to %s was refused (HTTP %d): sending each alone",
                                request.messages().size(), lead.destination(), status);
                        return sendAll(
                                request.messages().stream().map(Request::alone).toList(), sendBefore, 1);
                    }
                    String error = failure != null ? FailureKind.of(failure) : "HTTP " + status;
                    return Uni.createFrom().item(each(request, message -> failed(message, error, status)));
                })
                // a send that could not even start is a failed attempt of its own, never the cycle's outcomes lost
                .onFailure()
                .recoverWithItem(e -> each(request, message -> failed(message, FailureKind.of(e), 0)));
    }

    private Uni<HttpResponse<Buffer>> post(String url, Request request) {
        Claimed lead = request.messages().get(0);
        Duration timeout = settings.relay().requestTimeout();
        var post = http.postAbs(url)
                .timeout(timeout.toMillis())
                .putHeader(HttpHeaders.CONTENT_TYPE.toString(), "application/json")
                .putHeader(
                        HttpHeaders.AUTHORIZATION.toString(),
                        tokens.bearer(ServiceNames.audienceOf(lead.destination())))
                .putHeader(
                        RequestIds.HEADER, lead.requestId() == null ? lead.id().toString() : lead.requestId());
        if (!request.merged()) {
            // a merged request has no one message id: its receiver deduplicates each event by its own
            post.putHeader(MESSAGE_ID_HEADER, lead.id().toString());
        }
        return post.sendBuffer(request.body())
                // the client's timeout is an idle timeout; this bounds the whole exchange
                .ifNoItem()
                .after(timeout)
                .failWith(() -> new TimeoutException("outbox delivery"));
    }

    private static List<Outcome> each(Request request, Function<Claimed, Outcome> outcome) {
        return request.messages().stream().map(outcome).toList();
    }

    private Uni<Void> record(List<Outcome> outcomes) {
        int n = outcomes.size();
        UUID[] ids = new UUID[n];
        java.time.OffsetDateTime[] claims = new java.time.OffsetDateTime[n];
        String[] kinds = new String[n];
        String[] errors = new String[n];
        Double[] backoffs = new Double[n];
        for (int i = 0; i < n; i++) {
            Outcome outcome = outcomes.get(i);
            ids[i] = outcome.message().id();
            claims[i] = outcome.message().claimedUntil();
            kinds[i] = outcome.kind();
            errors[i] = outcome.error();
            backoffs[i] = outcome.backoffSeconds();
        }
        // custom-planned: a generic plan counts the unnest as 10 rows and, made while the outbox
        // was small, could keep a sequential scan of the grown table
        return CustomPlans.inTransaction(
                        pool,
                        connection -> connection
                                .preparedQuery(RECORD)
                                .execute(Tuple.tuple()
                                        .addArrayOfUUID(ids)
                                        .addArrayOfOffsetDateTime(claims)
                                        .addArrayOfString(kinds)
                                        .addArrayOfString(errors)
                                        .addArrayOfDouble(backoffs)))
                .replaceWithVoid();
    }

    private Outcome failed(Claimed message, String error, int httpStatus) {
        int attempt = message.attempts() + 1;
        boolean dead = isDead(attempt, message.ageSeconds(), httpStatus);
        count(message, dead ? DEAD : RETRY);
        if (dead) {
            LOG.errorf(
                    "Outbox message %s to %s is dead after %d attempts: %s",
                    message.id(), message.destination(), attempt, error);
        } else {
            LOG.warnf(
                    "Outbox message %s to %s failed (attempt %d): %s",
                    message.id(), message.destination(), attempt, error);
        }
        return new Outcome(message, dead ? DEAD : RETRY, error, backoffSeconds(attempt));
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

    /** What became of one claimed message: {@code kind} is delivered, retry, dead or released. */
    record Outcome(Claimed message, String kind, String error, double backoffSeconds) {}

    /** One HTTP request: one message with its own body, or several merged into one {@code {"events":[...]}}. */
    record Request(List<Claimed> messages, Buffer body) {
        static Request alone(Claimed message) {
            return alone(message, message.payload().getBytes(StandardCharsets.UTF_8));
        }

        static Request alone(Claimed message, byte[] body) {
            return new Request(List.of(message), Buffer.buffer(body));
        }

        boolean merged() {
            return messages.size() > 1;
        }
    }

    /**
     * A body of exactly {@code {"events":[...]}}: where its array's elements lie in the UTF-8 bytes, so
     * merged bodies are spliced from the stored bytes instead of parsed into trees and encoded again
     * (that was most of webhook-service's allocation under intake load).
     */
    record EventList(byte[] body, int from, int to, int count) {

        private static final JsonFactory JSON = new JsonFactory();

        /** The body's events, or null when it is anything else (it is then sent alone: the receiver decides). */
        static EventList of(byte[] body) {
            try (JsonParser parser = JSON.createParser(body)) {
                if (parser.nextToken() != JsonToken.START_OBJECT
                        || parser.nextToken() != JsonToken.FIELD_NAME
                        || !"events".equals(parser.currentName())
                        || parser.nextToken() != JsonToken.START_ARRAY) {
                    return null;
                }
                int from = (int) parser.currentTokenLocation().getByteOffset() + 1;
                int count = 0;
                for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                    if (token == null) {
                        return null;
                    }
                    parser.skipChildren();
                    count++;
                }
                int to = (int) parser.currentTokenLocation().getByteOffset();
                return parser.nextToken() == JsonToken.END_OBJECT && parser.nextToken() == null
                        ? new EventList(body, from, to, count)
                        : null;
            } catch (IOException e) {
                return null;
            }
        }

        /** One {@code {"events":[...]}} body holding every list's events, in order. */
        static Buffer merged(List<EventList> lists) {
            int bytes = 16 + lists.size();
            for (EventList list : lists) {
                bytes += list.to() - list.from();
            }
            io.vertx.core.buffer.Buffer body = io.vertx.core.buffer.Buffer.buffer(bytes);
            body.appendString("{\"events\":[");
            boolean first = true;
            for (EventList list : lists) {
                if (list.count() == 0) {
                    continue;
                }
                if (!first) {
                    body.appendByte((byte) ',');
                }
                body.appendBytes(list.body(), list.from(), list.to() - list.from());
                first = false;
            }
            body.appendString("]}");
            return Buffer.newInstance(body);
        }
    }

    /** The merged request being filled for one destination and path. */
    private static final class Merging {
        private final List<Claimed> messages = new ArrayList<>();
        private final List<EventList> lists = new ArrayList<>();
        private int events;
        private int bytes;

        boolean fits(EventList more, int maxEvents) {
            return events + more.count() <= maxEvents && bytes + more.body().length <= MERGED_BODY_BYTES;
        }

        void add(Claimed message, EventList more) {
            messages.add(message);
            lists.add(more);
            events += more.count();
            bytes += more.body().length;
        }

        Request request() {
            return messages.size() == 1
                    ? Request.alone(messages.get(0), lists.get(0).body())
                    : new Request(List.copyOf(messages), EventList.merged(lists));
        }
    }
}
