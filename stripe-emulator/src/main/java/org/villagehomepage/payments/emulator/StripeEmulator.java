package org.villagehomepage.payments.emulator;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A local, stateful, in-memory Stripe API with signed webhook delivery and fault injection.
 * Start it in-process with {@link #start(EmulatorConfig)}; point stripe-java at {@link #apiBase()}.
 */
public final class StripeEmulator implements AutoCloseable {
    /** The API version stripe-java 33.3.0 expects ({@code com.stripe.Stripe.API_VERSION}); events carry it. */
    public static final String API_VERSION = "2026-07-29.dahlia";

    private static final System.Logger LOG = System.getLogger(StripeEmulator.class.getName());
    private static final System.Logger ACCESS = System.getLogger("org.villagehomepage.payments.emulator.access");

    private final EmulatorConfig config;
    private final EmulatorClock clock = new EmulatorClock();
    private final IdGenerator ids;
    private final FaultSettings faults;
    private final WebhookEndpointRegistry endpoints;
    private final EventLog events;
    private final WebhookDispatcher dispatcher;
    private final Ledger ledger;
    private final IdempotencyStore idempotency;
    private final Vertx vertx;
    private volatile HttpServer server;
    /** Event loops, each with its own HTTP server on the port; the suite's machines have 2 cores. */
    private static final int EVENT_LOOPS = 2;

    private StripeEmulator(EmulatorConfig config) {
        this.config = config;
        this.ids = new IdGenerator();
        this.faults = new FaultSettings(config.seed());
        applyInitialFaults();
        this.endpoints = new WebhookEndpointRegistry(ids);
        for (EmulatorConfig.WebhookEndpointConfig e : config.webhookEndpoints()) {
            endpoints.add(e.url(), e.secrets(), e.enabledEvents(), clock.nowSeconds(), null, null, null, true);
        }
        this.vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(EVENT_LOOPS)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2)
                // no .vertx cache directory in the caller's working directory
                .setFileSystemOptions(
                        new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        // the budget: objects 45 %, events 20 %, pending webhook deliveries 20 %, idempotency keys 15 %
        long budget = config.retainBytes();
        this.events = new EventLog(clock, ids, endpoints, budget / 5);
        this.dispatcher = new WebhookDispatcher(vertx, config, clock, faults, endpoints, events::delivered, budget / 5);
        events.attach(dispatcher);
        this.ledger = new Ledger(clock, ids, events, budget * 45 / 100);
        this.idempotency = new IdempotencyStore(clock, budget * 15 / 100);
    }

    public static StripeEmulator start(EmulatorConfig config) {
        StripeEmulator emulator = new StripeEmulator(Objects.requireNonNull(config, "config"));
        try {
            emulator.listen();
        } catch (RuntimeException e) {
            emulator.close();
            throw e;
        }
        return emulator;
    }

    private void listen() {
        Charges charges = new Charges(ledger);
        Disputes disputes = new Disputes(ledger);
        PaymentIntents intents = new PaymentIntents(ledger, charges, disputes);
        Refunds refunds = new Refunds(ledger, charges);
        StripeApi api = new StripeApi(ledger, intents, charges, refunds, disputes, endpoints);

        Router router = Router.router(vertx);
        if (config.accessLog()) {
            router.route().handler(this::accessLog);
        }
        router.route().handler(new RawBody(1024 * 1024));
        new EmulatorHelpers(this, ledger, intents, disputes, refunds).mount(router);
        router.route("/v1/*").handler(new ApiHandler(vertx, api, faults, idempotency, ids));
        router.route()
                .handler(rc -> ApiHandler.send(
                        rc,
                        new ApiException(
                                404,
                                "invalid_request_error",
                                null,
                                "Unrecognized request URL (" + rc.request().method() + ": "
                                        + rc.request().path() + ").",
                                null)));
        try {
            // One server per event loop on one port: a server made outside a verticle runs on a single event
            // loop (the emulator used one core however many clients it had, docs/benchmarks-history.md); instances of
            // a verticle each get their own loop and Vert.x spreads the connections over them. A negative
            // port is Vert.x' "random port, shared by the instances"; 0 would give each its own.
            int port = config.port() == 0 ? -1 : config.port();
            vertx.deployVerticle(
                            () -> new ServerVerticle(router, port), new DeploymentOptions().setInstances(EVENT_LOOPS))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the Stripe emulator", e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot start the Stripe emulator on " + config.host() + ":" + config.port() + ": "
                            + e.getMessage(),
                    e);
        }
        LOG.log(System.Logger.Level.INFO, "Stripe emulator listening on {0} (api_version {1})", apiBase(), API_VERSION);
    }

    /** One HTTP server of the emulator, on its verticle's event loop. */
    private final class ServerVerticle extends AbstractVerticle {
        private final Router router;
        private final int port;

        ServerVerticle(Router router, int port) {
            this.router = router;
            this.port = port;
        }

        @Override
        public void start(Promise<Void> started) {
            vertx.createHttpServer(
                            new HttpServerOptions().setHost(config.host()).setPort(port))
                    .requestHandler(router)
                    .listen()
                    .onSuccess(s -> {
                        server = s; // every instance reports the same, shared port
                        started.complete();
                    })
                    .onFailure(started::fail);
        }
    }

    /** One line per request; never headers or bodies, so no keys or secrets reach the log. */
    private void accessLog(RoutingContext rc) {
        long start = System.nanoTime();
        String method = rc.request().method().name();
        String path = rc.request().path();
        rc.addEndHandler(done -> {
            String status = rc.response().ended() ? String.valueOf(rc.response().getStatusCode()) : "-";
            ACCESS.log(
                    System.Logger.Level.INFO,
                    "{0} {1} {2} {3}ms",
                    method,
                    path,
                    status,
                    (System.nanoTime() - start) / 1_000_000);
        });
        rc.next();
    }

    public int port() {
        return server.actualPort();
    }

    public String apiBase() {
        return "http://" + config.host() + ":" + port();
    }

    /** Adds an endpoint at run time (removed again by {@link #reset()}). */
    public void addWebhookEndpoint(String url, List<String> secrets, List<String> enabledEvents) {
        EmulatorConfig.WebhookEndpointConfig e = new EmulatorConfig.WebhookEndpointConfig(url, secrets, enabledEvents);
        endpoints.add(e.url(), e.secrets(), e.enabledEvents(), clock.nowSeconds(), null, null, null, false);
    }

    public FaultSettings faults() {
        return faults;
    }

    public List<DeliveryAttempt> deliveries() {
        return dispatcher.log();
    }

    public boolean awaitDeliveriesIdle(Duration timeout) {
        return dispatcher.awaitIdle(timeout);
    }

    public void flushDeliveries() {
        dispatcher.flush();
    }

    public void advanceClock(Duration d) {
        clock.advance(d);
        dispatcher.clockMoved();
    }

    /**
     * Forgets all objects, events, idempotency keys, run-time endpoints, pending deliveries and the
     * delivery log; faults go back to the configured initial ones. The clock is kept (time never goes back).
     */
    public void reset() {
        // all under the ledger's lock: with two event loops a request must not run between the steps
        ledger.locked(() -> {
            dispatcher.reset();
            events.reset();
            ledger.reset();
            idempotency.reset();
            endpoints.removeRuntimeEndpoints();
            applyInitialFaults();
            return null;
        });
    }

    private void applyInitialFaults() {
        synchronized (faults) { // no fault decision between clearing and re-applying
            faults.clear();
            if (config.faultsJson() != null && !config.faultsJson().isBlank()) {
                faults.applyJson(config.faultsJson());
            }
        }
    }

    /** What the retention keeps and evicted so far, for {@code GET /_emulator/health}. */
    com.fasterxml.jackson.databind.node.ObjectNode retention() {
        // the top-level counts are the objects'; each other store has its own line
        Retention.Kept objects = ledger.retention();
        com.fasterxml.jackson.databind.node.ObjectNode n = Json.object();
        n.put("objects", objects.count());
        n.put("bytes", objects.bytes());
        n.put("evicted", objects.gone());
        n.put("budgetBytes", config.retainBytes());
        retentionLine(n.putObject("events"), events.retention(), "evicted");
        retentionLine(n.putObject("idempotencyKeys"), idempotency.retention(), "evicted");
        retentionLine(n.putObject("pendingDeliveries"), dispatcher.retention(), "dropped");
        return n;
    }

    private static void retentionLine(
            com.fasterxml.jackson.databind.node.ObjectNode n, Retention.Kept kept, String gone) {
        n.put("count", kept.count());
        n.put("bytes", kept.bytes());
        n.put(gone, kept.gone());
    }

    EmulatorConfig config() {
        return config;
    }

    @Override
    public void close() {
        dispatcher.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Vert.x did not close cleanly: {0}", e.getMessage());
        }
    }
}
