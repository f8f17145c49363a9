package org.villagehomepage.payments.emulator;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends events to webhook endpoints, at least once, off the request threads. A scheduler thread
 * moves due deliveries (by the emulator clock, so advancing it makes retries due) to a small pool;
 * failures are retried with doubling back-off until the retry window is over.
 */
final class WebhookDispatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(WebhookDispatcher.class.getName());
    static final String USER_AGENT = "Stripe/1.0 (+https://stripe.com/docs/webhooks)";

    /** Called on each 2xx, for the event's delivery status. */
    interface SuccessListener {
        void delivered(String eventId, String endpointId);
    }

    private static final class Task {
        final String eventId;
        final String eventType;
        /** The event's stored payload bytes, deflated, shared with EventLog (a pending delivery adds no copy). */
        final byte[] payload;

        final String endpointId;
        final String endpointUrl;
        final long generation;
        /** Duplicate copies go to the pool on their own so they race the original. */
        final boolean concurrent;
        /** First attempt held back by the shuffle fault, to be sent with whatever else is held. */
        boolean held;

        int attempt = 1;
        long firstAttemptAt = -1;
        long dueAt;

        Task(
                String eventId,
                String eventType,
                byte[] payload,
                String endpointId,
                String endpointUrl,
                long generation,
                boolean concurrent,
                long dueAt) {
            this.eventId = eventId;
            this.eventType = eventType;
            this.payload = payload;
            this.endpointId = endpointId;
            this.endpointUrl = endpointUrl;
            this.generation = generation;
            this.concurrent = concurrent;
            this.dueAt = dueAt;
        }
    }

    private final EmulatorConfig config;
    private final EmulatorClock clock;
    private final FaultSettings faults;
    private final WebhookEndpointRegistry registry;
    private final SuccessListener listener;
    private final HttpClient http;
    /** One context per event loop: each delivery's request and answer are handled on one of them. */
    private final Context[] loops;

    private final AtomicInteger nextLoop = new AtomicInteger();
    private final ExecutorService pool;
    private final Thread scheduler;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // queued deliveries, longest queued first; their payloads (counted whole, though shared with a
    // still-kept event) stay within pendingBudget: past it the longest queued are dropped, so an
    // endpoint that is down for long cannot take the heap (the event stays listed as undelivered)
    private final List<Task> pending = new ArrayList<>();
    private final long pendingBudget;
    private long pendingBytes;
    private long droppedForBudget;
    // the newest attempts only (deliveryLogLimit), so a long run does not keep every attempt
    private final ArrayDeque<DeliveryAttempt> log = new ArrayDeque<>();
    private final Set<String> busy = new HashSet<>();
    private int inFlight;
    private volatile long generation;
    private boolean closed;

    WebhookDispatcher(
            Vertx vertx,
            EmulatorConfig config,
            EmulatorClock clock,
            FaultSettings faults,
            WebhookEndpointRegistry registry,
            SuccessListener listener,
            long pendingBudget) {
        this.pendingBudget = pendingBudget;
        this.config = config;
        this.clock = clock;
        this.faults = faults;
        this.registry = registry;
        this.listener = listener;
        this.pool = Executors.newFixedThreadPool(config.deliveryThreads(), daemonThreads("stripe-emulator-webhook"));
        // Vert.x's client on the emulator's event loops: the JDK's HttpClient took 28 % of the
        // emulator's CPU in the benchmark's lag phase (JFR, docs/benchmarks-history.md)
        this.http = vertx.createHttpClient(
                new HttpClientOptions()
                        .setConnectTimeout((int) Math.min(
                                Integer.MAX_VALUE, config.deliveryTimeout().toMillis()))
                        .setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(Math.max(config.deliveryConcurrency(), config.deliveryThreads())));
        this.loops = new Context[] {vertx.getOrCreateContext(), vertx.getOrCreateContext()};
        this.scheduler = daemonThreads("stripe-emulator-webhook-scheduler").newThread(this::runScheduler);
        this.scheduler.start();
    }

    private static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Plans (drop / duplicate) and queues one delivery per endpoint. */
    void enqueue(String eventId, String eventType, byte[] payload, List<WebhookEndpointRegistry.Endpoint> endpoints) {
        if (endpoints.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            long now = clock.nowMillis();
            long due = faults.shuffleOn() ? now + config.shuffleWindow().toMillis() : now;
            for (WebhookEndpointRegistry.Endpoint e : endpoints) {
                FaultSettings.DeliveryPlan plan = faults.planDelivery();
                if (plan.dropped()) {
                    addLog(new DeliveryAttempt(
                            eventId,
                            eventType,
                            e.id(),
                            e.url(),
                            0,
                            null,
                            "dropped by fault injection",
                            clock.now(),
                            true));
                    continue;
                }
                for (int copy = 0; copy < plan.copies(); copy++) {
                    // copy 1 races the original; later copies follow a little after
                    long copyDue = copy <= 1 ? due : due + 20L * copy;
                    Task task = new Task(eventId, eventType, payload, e.id(), e.url(), generation, copy > 0, copyDue);
                    task.held = faults.shuffleOn();
                    queue(task);
                }
            }
            trimQueue();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static long sizeOf(Task t) {
        return t.payload.length + 100L;
    }

    private void queue(Task t) {
        pending.add(t);
        pendingBytes += sizeOf(t);
    }

    /** Drops the longest-queued deliveries past the budget (the newest always stays). Holds the lock. */
    private void trimQueue() {
        int drop = 0;
        while (pendingBytes > pendingBudget && drop < pending.size() - 1) {
            Task t = pending.get(drop++);
            pendingBytes -= sizeOf(t);
            addLog(new DeliveryAttempt(
                    t.eventId,
                    t.eventType,
                    t.endpointId,
                    t.endpointUrl,
                    t.attempt,
                    null,
                    "dropped: pending deliveries over the emulator's memory budget",
                    clock.now(),
                    true));
            if (droppedForBudget++ % 1000 == 0) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "pending webhook deliveries over their memory budget ({0} bytes): dropped {1} so far,"
                                + " the longest queued first (EMULATOR_RETAIN_MB raises it)",
                        pendingBudget,
                        droppedForBudget);
            }
        }
        if (drop > 0) {
            pending.subList(0, drop).clear();
        }
    }

    /** Deliveries queued, their bytes as counted against the budget, deliveries dropped for it. */
    Retention.Kept retention() {
        lock.lock();
        try {
            return new Retention.Kept(pending.size(), pendingBytes, droppedForBudget);
        } finally {
            lock.unlock();
        }
    }

    private void addLog(DeliveryAttempt a) {
        log.addLast(a);
        while (log.size() > config.deliveryLogLimit()) {
            log.removeFirst();
        }
    }

    List<DeliveryAttempt> log() {
        lock.lock();
        try {
            return List.copyOf(log);
        } finally {
            lock.unlock();
        }
    }

    boolean awaitIdle(Duration timeout) {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (!pending.isEmpty() || inFlight > 0) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Makes every pending delivery (including scheduled retries) due now. */
    void flush() {
        lock.lock();
        try {
            pending.forEach(t -> t.dueAt = 0);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Called when the emulator clock moved, so due retries go out at once. */
    void clockMoved() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void reset() {
        lock.lock();
        try {
            generation++;
            pending.clear();
            pendingBytes = 0;
            log.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void runScheduler() {
        lock.lock();
        try {
            while (!closed) {
                long now = clock.nowMillis();
                // once the oldest delivery held by the shuffle fault is due, everything held goes together
                boolean releaseHeld = pending.stream().anyMatch(t -> t.held && t.dueAt <= now);
                Map<String, List<Task>> groups = new LinkedHashMap<>();
                List<Task> loose = new ArrayList<>();
                long nextDue = Long.MAX_VALUE;
                List<Task> waiting = new ArrayList<>();
                for (Task t : pending) {
                    if (!(t.dueAt <= now || (releaseHeld && t.held))) {
                        nextDue = Math.min(nextDue, t.dueAt);
                        waiting.add(t);
                    } else if (t.concurrent) {
                        loose.add(t);
                    } else if (!busy.contains(t.endpointId)) {
                        // one batch per endpoint at a time keeps deliveries in event order
                        groups.computeIfAbsent(t.endpointId, k -> new ArrayList<>())
                                .add(t);
                    } else {
                        waiting.add(t);
                    }
                }
                if (waiting.size() != pending.size()) {
                    pending.clear();
                    pendingBytes = 0;
                    waiting.forEach(this::queue);
                }
                if (groups.isEmpty() && loose.isEmpty()) {
                    // wake at the next due time, or soon anyway since the clock can jump
                    long waitMs = Math.max(1, Math.min(nextDue - now, 100));
                    changed.await(waitMs, TimeUnit.MILLISECONDS);
                    continue;
                }
                busy.addAll(groups.keySet());
                groups.values().forEach(g -> g.forEach(t -> t.held = false));
                inFlight += loose.size()
                        + groups.values().stream().mapToInt(List::size).sum();
                lock.unlock();
                try {
                    dispatch(groups, loose);
                } finally {
                    lock.lock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Each endpoint's batch is sent in order by one thread (shuffled under the shuffle fault); duplicates race. */
    private void dispatch(Map<String, List<Task>> groups, List<Task> loose) {
        boolean shuffle = faults.shuffleOn();
        groups.forEach((endpointId, group) -> {
            if (shuffle) {
                faults.shuffle(group);
            }
            submit(
                    () -> {
                        try {
                            sendInOrder(group);
                        } finally {
                            free(endpointId);
                        }
                    },
                    group.size(),
                    endpointId);
        });
        for (Task t : loose) {
            submit(() -> attempt(t), 1, null);
        }
    }

    private void free(String endpointId) {
        lock.lock();
        try {
            busy.remove(endpointId);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void submit(Runnable work, int tasks, String endpointId) {
        try {
            pool.execute(work);
        } catch (RejectedExecutionException e) {
            // closing: forget these deliveries
            lock.lock();
            try {
                inFlight -= tasks;
                if (endpointId != null) {
                    busy.remove(endpointId);
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Sends a batch in event order. With {@code deliveryConcurrency} 1 each delivery waits for the one
     * before; above 1 they start in order with up to that many outstanding, so one endpoint can take
     * 1,000 events/s whatever its ack latency (completions may then overtake one another).
     */
    private void sendInOrder(List<Task> group) {
        int window = config.deliveryConcurrency();
        if (window <= 1) {
            group.forEach(this::attempt);
            return;
        }
        Semaphore slots = new Semaphore(window);
        try {
            for (Task task : group) {
                slots.acquire();
                attemptAsync(task, slots::release);
            }
            slots.acquire(window); // the batch is over when every delivery has finished
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void attemptAsync(Task task, Runnable done) {
        WebhookEndpointRegistry.Endpoint endpoint = registry.get(task.endpointId);
        if (endpoint == null) {
            try {
                finish(task, null, null, null);
            } finally {
                done.run();
            }
            return;
        }
        Future<Integer> sent;
        try {
            sent = send(endpoint, task);
        } catch (RuntimeException e) {
            try {
                finish(task, endpoint, null, e.getClass().getSimpleName() + ": " + e.getMessage());
            } finally {
                done.run();
            }
            return;
        }
        sent.onComplete(result -> {
            try {
                finish(task, endpoint, result.result(), result.failed() ? describe(result.cause()) : null);
            } finally {
                done.run();
            }
        });
    }

    /** POSTs the signed event; completes with the status once the answer's body has been read. */
    private Future<Integer> send(WebhookEndpointRegistry.Endpoint endpoint, Task task) {
        // signature time is wall time: receivers check it against their own clock (300 s tolerance)
        long t = System.currentTimeMillis() / 1000;
        byte[] body = Packed.unpack(task.payload);
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(endpoint.url())
                .setTimeout(config.deliveryTimeout().toMillis())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("User-Agent", USER_AGENT)
                .putHeader(
                        "Stripe-Signature",
                        WebhookSignature.header(t, new String(body, StandardCharsets.UTF_8), endpoint.secrets()));
        // started on an event loop: called from a pool thread, a step could attach its handler
        // after the answer had already ended, and the delivery would never complete
        Promise<Integer> answered = Promise.promise();
        loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)].runOnContext(ignored -> http.request(options)
                .compose(request -> request.send(Buffer.buffer(body)))
                .compose(response -> response.body().map(read -> response.statusCode()))
                .onComplete(answered));
        return answered.future();
    }

    private String describe(Throwable cause) {
        return cause instanceof TimeoutException
                ? "timeout after " + config.deliveryTimeout().toMillis() + " ms"
                : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private void attempt(Task task) {
        Integer status = null;
        String error = null;
        WebhookEndpointRegistry.Endpoint endpoint = registry.get(task.endpointId);
        try {
            if (endpoint != null) {
                try {
                    status = send(endpoint, task)
                            .toCompletionStage()
                            .toCompletableFuture()
                            .get();
                } catch (ExecutionException e) {
                    error = describe(e.getCause() != null ? e.getCause() : e);
                } catch (RuntimeException e) {
                    error = e.getClass().getSimpleName() + ": " + e.getMessage();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    error = "interrupted";
                }
            }
        } finally {
            finish(task, endpoint, status, error);
        }
    }

    private void finish(Task task, WebhookEndpointRegistry.Endpoint endpoint, Integer status, String error) {
        boolean ok = status != null && status >= 200 && status < 300;
        if (ok && endpoint != null && task.generation == generation) {
            // recorded before inFlight drops, so "deliveries idle" implies "delivery_success known"
            listener.delivered(task.eventId, task.endpointId);
        }
        boolean current;
        lock.lock();
        try {
            inFlight--;
            current = task.generation == generation;
            if (current && endpoint != null && !closed) {
                long now = clock.nowMillis();
                if (task.firstAttemptAt < 0) {
                    task.firstAttemptAt = now;
                }
                addLog(new DeliveryAttempt(
                        task.eventId,
                        task.eventType,
                        task.endpointId,
                        task.endpointUrl,
                        task.attempt,
                        status,
                        error,
                        clock.now(),
                        false));
                if (!ok) {
                    long delay = retryDelayMillis(task.attempt);
                    if (now + delay - task.firstAttemptAt
                            <= config.retryWindow().toMillis()) {
                        task.attempt++;
                        task.dueAt = now + delay;
                        queue(task);
                        trimQueue();
                    } else {
                        LOG.log(
                                System.Logger.Level.WARNING,
                                "giving up delivery of {0} to {1} after {2} attempts",
                                task.eventId,
                                task.endpointUrl,
                                task.attempt);
                    }
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** base, 2*base, 4*base ... capped. */
    long retryDelayMillis(int failedAttempt) {
        long base = config.retryBase().toMillis();
        long cap = config.retryCap().toMillis();
        int shift = Math.min(failedAttempt - 1, 30);
        long delay = base << shift;
        return delay <= 0 || delay > cap ? cap : delay;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            pending.clear();
            pendingBytes = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        scheduler.interrupt();
        pool.shutdownNow();
        http.close();
    }
}
