package org.villagehomepage.payments.webhook.event;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.villagehomepage.payments.webhook.WebhookSettings;

/**
 * Groups concurrent deliveries into one store statement each (its own transaction), and answers
 * every delivery only after the commit that made it durable. At most {@code max-in-flight} run; events
 * arriving meanwhile queue up and leave together (up to {@code max-batch}) as soon as one ends,
 * so batches grow with the load while a lone event is stored at once (or after {@code linger}).
 */
@ApplicationScoped
public class EventBatcher {

    public enum Outcome {
        /** This delivery stored the event. */
        STORED,
        /** The event was already stored (earlier or by a concurrent delivery). */
        DUPLICATE
    }

    /** {@code alone}: retried in a batch of its own after its batch failed with a statement error. */
    private record Pending(StripeEvent event, UniEmitter<? super Outcome> emitter, Context context, boolean alone) {
        Pending retriedAlone() {
            return new Pending(event, emitter, context, true);
        }
    }

    private final EventStore store;
    private final Vertx vertx;
    private final int maxBatch;
    private final int maxInFlight;
    private final long lingerMillis;
    private final Object lock = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int inFlight;
    private boolean timerArmed;

    /** Pool connections the default {@code max-in-flight} leaves to the relay, the jobs and the admin API. */
    static final int RESERVED_CONNECTIONS = 4;

    /**
     * The default {@code max-in-flight}. Fewer statements at once make larger batches, so fewer
     * statements and commits per event: at 32 clients Postgres spent 0.49-0.55 ms of CPU per event
     * with 4 against 0.67-0.95 with 16 (the pool's share), and the intake stored 1,562-1,730 against
     * 979-1,502 events/s (docs/benchmarks-history.md). Each statement is one round trip: up to 4 x max-batch
     * events per round trip.
     */
    static final int DEFAULT_IN_FLIGHT = 4;

    public EventBatcher(
            EventStore store,
            Vertx vertx,
            WebhookSettings settings,
            @ConfigProperty(name = "quarkus.datasource.reactive.max-size", defaultValue = "20") int poolSize) {
        this.store = store;
        this.vertx = vertx;
        this.maxBatch = Math.max(1, settings.intake().maxBatch());
        // Each batch is one statement holding one connection for one round trip; a pool smaller
        // than the default plus the reserve gets what the reserve leaves.
        this.maxInFlight = Math.max(
                1,
                settings.intake().maxInFlight().orElse(Math.min(DEFAULT_IN_FLIGHT, poolSize - RESERVED_CONNECTIONS)));
        this.lingerMillis = settings.intake().linger().toMillis();
    }

    /** The bound in force (configured or derived from the pool). */
    int maxInFlight() {
        return maxInFlight;
    }

    public Uni<Outcome> submit(StripeEvent event) {
        return Uni.createFrom().emitter(emitter -> add(new Pending(event, emitter, Vertx.currentContext(), false)));
    }

    private void add(Pending pending) {
        boolean arm = false;
        synchronized (lock) {
            queue.add(pending);
            if (lingerMillis > 0 && !timerArmed && queue.size() < maxBatch) {
                timerArmed = true;
                arm = true;
            }
        }
        if (arm) {
            vertx.setTimer(lingerMillis, id -> {
                synchronized (lock) {
                    timerArmed = false;
                }
                drain(true);
            });
        } else {
            drain(false);
        }
    }

    /** Starts batches while slots are free; {@code force} ignores the linger. */
    private void drain(boolean force) {
        while (true) {
            List<Pending> batch;
            synchronized (lock) {
                batch = take(force);
            }
            if (batch == null) {
                return;
            }
            run(batch);
        }
    }

    private List<Pending> take(boolean force) {
        if (queue.isEmpty() || inFlight >= maxInFlight || (!force && timerArmed && queue.size() < maxBatch)) {
            return null;
        }
        List<Pending> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
        Pending first = queue.poll();
        batch.add(first);
        while (!first.alone()
                && !queue.isEmpty()
                && batch.size() < maxBatch
                && !queue.peek().alone()) {
            batch.add(queue.poll());
        }
        inFlight++;
        return batch;
    }

    private void run(List<Pending> batch) {
        store.store(batch.stream().map(Pending::event).toList())
                .subscribe()
                .with(
                        fresh -> {
                            answer(batch, fresh);
                            finished();
                        },
                        failure -> {
                            if (batch.size() > 1 && failure instanceof PgException) {
                                // A statement error may come from one event: store each alone so the
                                // others are not refused with it. They go first in the queue, each its own
                                // batch, so they count in max-in-flight like any other transaction.
                                synchronized (lock) {
                                    for (int i = batch.size() - 1; i >= 0; i--) {
                                        queue.addFirst(batch.get(i).retriedAlone());
                                    }
                                }
                            } else {
                                batch.forEach(pending -> fail(pending, failure));
                            }
                            finished();
                        });
    }

    private void finished() {
        synchronized (lock) {
            inFlight--;
        }
        drain(true);
    }

    private static void answer(List<Pending> batch, Set<String> fresh) {
        Set<String> claimed = new HashSet<>();
        for (Pending pending : batch) {
            String id = pending.event().id();
            Outcome outcome = fresh.contains(id) && claimed.add(id) ? Outcome.STORED : Outcome.DUPLICATE;
            onContext(pending, () -> pending.emitter().complete(outcome));
        }
    }

    private static void fail(Pending pending, Throwable failure) {
        onContext(pending, () -> pending.emitter().fail(failure));
    }

    /** Back on the request's own context, so its request id and logging context stay with it. */
    private static void onContext(Pending pending, Runnable action) {
        if (pending.context() != null) {
            pending.context().runOnContext(ignored -> action.run());
        } else {
            action.run();
        }
    }
}
