package org.villagehomepage.payments.common;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.villagehomepage.payments.common.outbox.InboxGuard;
import org.villagehomepage.payments.common.security.ServiceCaller;

/**
 * A receiver for the relay tests: counts deliveries and applications per message id. It remembers
 * ids per sender in {@code processed_message} through {@code InboxGuard}, as the services'
 * receivers do (InboxGuardTest).
 */
@Path("/internal/test-receiver")
@jakarta.inject.Singleton
public class TestReceiver {

    public final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    public final Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();
    public final AtomicInteger failuresLeft = new AtomicInteger();
    /** The status answered while {@code failuresLeft} is above zero. */
    public final AtomicInteger failureStatus = new AtomicInteger(503);
    /** An answer per message id, whatever failuresLeft says (a batch with mixed outcomes). */
    public final Map<String, Integer> statusFor = new ConcurrentHashMap<>();
    /** A message whose answer waits until the test completes its future (a delivery held in flight). */
    public final Map<String, CompletableFuture<Void>> holdUntil = new ConcurrentHashMap<>();
    /** A slow receiver: every answer waits this long (without blocking a thread). */
    public final AtomicInteger delayMillis = new AtomicInteger();

    /** Arrival time (System.nanoTime) of the first delivery of each id at the no-op endpoint. */
    public final Map<String, Long> arrivedNanos = new ConcurrentHashMap<>();

    public final AtomicInteger inFlight = new AtomicInteger();
    public final AtomicInteger maxInFlightSameMessage = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlightById = new ConcurrentHashMap<>();

    private final Pool pool;
    private final InboxGuard inbox;
    private final io.vertx.core.Vertx vertx;

    public TestReceiver(Pool pool, InboxGuard inbox, io.vertx.core.Vertx vertx) {
        this.pool = pool;
        this.inbox = inbox;
        this.vertx = vertx;
    }

    @POST
    @Path("/messages")
    @PermitAll // internal: ServiceCallFilter checks the sender against TestAllowlist
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> receive(
            @HeaderParam("X-Message-Id") String messageId, @Context SecurityContext security, String body) {
        String sender = ServiceCaller.of(security);
        deliveries.computeIfAbsent(messageId, k -> new AtomicInteger()).incrementAndGet();
        AtomicInteger sameId = inFlightById.computeIfAbsent(messageId, k -> new AtomicInteger());
        maxInFlightSameMessage.accumulateAndGet(sameId.incrementAndGet(), Math::max);
        inFlight.incrementAndGet();
        // A timer on the request's own context, and no transaction (no connection) held while waiting.
        long delay = delayMillis.get();
        Uni<Void> wait = delay > 0
                ? Uni.createFrom().emitter(em -> vertx.setTimer(delay, id -> em.complete(null)))
                : Uni.createFrom().voidItem();
        CompletableFuture<Void> hold = holdUntil.get(messageId);
        if (hold != null) {
            // released by the test's thread: carry on on this request's own context
            io.vertx.core.Context context = vertx.getOrCreateContext();
            wait = wait.flatMap(ignored -> Uni.createFrom()
                    .emitter(em -> hold.whenComplete((v, e) -> context.runOnContext(x -> em.complete(null)))));
        }
        return wait.flatMap(ignored -> {
                    Integer status = statusFor.get(messageId);
                    if (status != null) {
                        return Uni.createFrom().item(Response.status(status).build());
                    }
                    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        return Uni.createFrom()
                                .item(Response.status(failureStatus.get()).build());
                    }
                    return pool.withTransaction(tx -> inbox.firstDelivery(tx, sender, messageId))
                            .map(first -> {
                                if (first) {
                                    applied.computeIfAbsent(messageId, k -> new AtomicInteger())
                                            .incrementAndGet();
                                }
                                return Response.noContent().build();
                            });
                })
                .onTermination()
                .invoke(() -> {
                    sameId.decrementAndGet();
                    inFlight.decrementAndGet();
                });
    }

    /** Events per request at the events endpoint, and whether the request carried an X-Message-Id. */
    public final List<Integer> eventRequests = new CopyOnWriteArrayList<>();

    public final AtomicInteger eventRequestsWithMessageId = new AtomicInteger();
    /** Per event id: how often a request holding it was answered 2xx (a second time = sent twice). */
    public final Map<String, AtomicInteger> eventsAccepted = new ConcurrentHashMap<>();
    /** An event id that makes the request holding it answer 400 (one bad event in a merged request). */
    public final Set<String> refusedEvents = ConcurrentHashMap.newKeySet();

    /**
     * A receiver of {@code {"events":[...]}} that stores each event once by its own id, as
     * audit-service does: the merged path of OutboxRelayMergeTest. Stored ids go to
     * {@code processed_message} under the sender.
     */
    @POST
    @Path("/events")
    @PermitAll // internal: ServiceCallFilter checks the sender against TestAllowlist
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> events(
            @HeaderParam("X-Message-Id") String messageId, @Context SecurityContext security, String body) {
        String sender = ServiceCaller.of(security);
        JsonArray events = new JsonObject(body).getJsonArray("events");
        eventRequests.add(events.size());
        if (messageId != null) {
            eventRequestsWithMessageId.incrementAndGet();
        }
        String[] ids = new String[events.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = events.getJsonObject(i).getString("id");
            if (refusedEvents.contains(ids[i])) {
                return Uni.createFrom().item(Response.status(400).build());
            }
        }
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return Uni.createFrom().item(Response.status(failureStatus.get()).build());
        }
        for (String id : ids) {
            eventsAccepted.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        }
        return pool.preparedQuery(
                        "INSERT INTO processed_message (sender, message_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(sender, ids))
                .replaceWith(Response.noContent().build());
    }

    /** The trivial receiver of the relay benchmarks: counts, notes the arrival time, answers 204; no database. */
    @POST
    @Path("/noop")
    @PermitAll // internal: ServiceCallFilter checks the sender against TestAllowlist
    @Consumes(MediaType.APPLICATION_JSON)
    public Response noop(@HeaderParam("X-Message-Id") String messageId) {
        arrivedNanos.putIfAbsent(messageId, System.nanoTime());
        deliveries.computeIfAbsent(messageId, k -> new AtomicInteger()).incrementAndGet();
        return Response.noContent().build();
    }

    public void reset() {
        arrivedNanos.clear();
        statusFor.clear();
        holdUntil.values().forEach(hold -> hold.complete(null));
        holdUntil.clear();
        deliveries.clear();
        eventRequests.clear();
        eventRequestsWithMessageId.set(0);
        eventsAccepted.clear();
        refusedEvents.clear();
        applied.clear();
        failuresLeft.set(0);
        failureStatus.set(503);
        delayMillis.set(0);
        maxInFlightSameMessage.set(0);
        inFlightById.clear();
    }
}
