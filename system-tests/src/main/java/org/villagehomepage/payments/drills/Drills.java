package org.villagehomepage.payments.drills;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The fault drills (issue 11) against a suite that scripts/drills.sh started from the packaged
 * jars: traffic over HTTP only (the frontend's, Stripe's and the admin's calls), faults injected
 * from outside (emulator faults, kill -9, stop/start through scripts/suite-start.sh), bounded
 * waits, then counts in Postgres (psql) and at the emulator. One line per drill; exit 1 when one fails.
 *
 * <p>Run with the JDK's source launcher (no build): {@code java system-tests/src/main/java/.../Drills.java [--short] drill...}.
 * Environment: CHECKOUT_URL, WEBHOOK_URL, REFUND_URL, AUDIT_URL, EMULATOR_URL, SUITE_DB, KEYS_DIR,
 * RELAY_MAX_BACKOFF_MS (the compressed relay max-backoff the suite was started with).
 */
public final class Drills {

    static final String HOUSING = "6c1d0a6e-0001-4000-8000-000000000001";
    static final String STRIPE_KEY = "sk_test_local_emulator";

    final boolean quick;
    final String co = env("CHECKOUT_URL", "http://127.0.0.1:8381");
    final String wh = env("WEBHOOK_URL", "http://127.0.0.1:8382");
    final String rf = env("REFUND_URL", "http://127.0.0.1:8383");
    final String au = env("AUDIT_URL", "http://127.0.0.1:8384");
    final String em = env("EMULATOR_URL", "http://127.0.0.1:12411");
    final String db = env("SUITE_DB", "payments_drills");
    final long relayMaxBackoffMs = Long.parseLong(env("RELAY_MAX_BACKOFF_MS", "1000"));
    final String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    /** Round-robin splitters in front of the services (rolling-restart, replicas: SPLITTERS=on). */
    final Map<String, Splitter> splitters = new LinkedHashMap<>();
    /** The instances behind each splitter: service -> instance name -> port. */
    final Map<String, Map<String, Integer>> instances = new LinkedHashMap<>();
    final int portBase = Integer.parseInt(env("SUITE_PORT_BASE", "8380"));
    final int instanceOffset = Integer.parseInt(env("SUITE_INSTANCE_OFFSET", "0"));

    Drills(boolean quick) {
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        // the splitters open one connection per request (Connection: close), read once by the JDK's HTTP client
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "connection");
        boolean quick = false;
        List<String> names = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--short")) {
                quick = true;
            } else {
                names.add(a);
            }
        }
        Drills d = new Drills(quick);
        try {
            System.exit(d.runAll(names));
        } catch (Exception e) {
            System.out.println("drills: " + e);
            System.exit(1); // also ends the splitters' server threads
        }
    }

    int runAll(List<String> names) throws IOException {
        Drills d = this;
        if (d.instanceOffset > 0) {
            d.startSplitters();
        }
        int failed = 0;
        for (String name : names) {
            Line line;
            long t0 = System.nanoTime();
            try {
                line = switch (name) {
                    case "duplicate-storm" -> d.duplicateStorm();
                    case "missed-webhooks" -> d.missedWebhooks();
                    case "receiver-outage" -> d.receiverOutage();
                    case "crash" -> d.crash();
                    case "reordering" -> d.reordering();
                    case "stripe-faults" -> d.stripeFaults();
                    case "refund-race" -> d.refundRace();
                    case "postgres-restart" -> d.postgresRestart();
                    case "rolling-restart" -> d.rollingRestart();
                    case "replicas" -> d.replicas();
                    default -> throw new IllegalArgumentException("unknown drill " + name);
                };
            } catch (Exception e) {
                line = new Line(name);
                line.fail("error: " + e);
            } finally {
                d.faults("{\"seed\":7}");
            }
            line.extra.put("seconds", String.valueOf((System.nanoTime() - t0) / 1_000_000_000L));
            System.out.println(line);
            System.out.flush();
            if (!line.passed()) {
                failed++;
            }
        }
        d.splitters.values().forEach(Splitter::close);
        d.pool.shutdownNow();
        return failed == 0 ? 0 : 1;
    }

    // ------------------------------------------------------------------ the drills

    /** 1: every payment's events delivered 20 times, copies concurrent -> exactly one effect each. */
    Line duplicateStorm() throws Exception {
        int n = quick ? 20 : 100;
        Line line = new Line("duplicate-storm");
        List<Payment> payments = checkouts("dup", n);
        faults("{\"seed\":11,\"deliveries\":{\"duplicateRate\":1.0,\"duplicateCopies\":20}}");
        payAll(payments);
        settle(line, payments, Duration.ofSeconds(quick ? 60 : 120));
        Map<String, Integer> deliveries = successfulDeliveriesPerEvent(succeededEvents(payments).keySet());
        line.extra.put("deliveries_2xx", String.valueOf(deliveries.values().stream().mapToInt(Integer::intValue).sum()));
        line.extra.put("events_stored_twice", "0"); // webhook_event's primary key is the event id
        return line;
    }

    /** 6: 10 % of webhook deliveries dropped -> every effect present after one reconciliation run. */
    Line missedWebhooks() throws Exception {
        int n = quick ? 40 : 500;
        Line line = new Line("missed-webhooks");
        List<Payment> payments = checkouts("miss", n);
        long droppedBefore = dropped();
        faults("{\"seed\":13,\"deliveries\":{\"dropRate\":0.1}}");
        payAll(payments);
        awaitDeliveriesIdle(Duration.ofSeconds(60));
        faults("{\"seed\":7}");
        int activeBefore = active(payments);
        line.extra.put("dropped_deliveries", String.valueOf(dropped() - droppedBefore));
        line.extra.put("missing_before_reconciliation", String.valueOf(payments.size() - activeBefore));
        Map<String, Object> report = json(call("POST", wh + "/admin/api/webhooks/reconciliation/run", Tokens.admin(), "{}").body);
        line.extra.put("reconciliation_found", String.valueOf(report.get("found")).replace(".0", ""));
        settle(line, payments, Duration.ofSeconds(60));
        if (payments.size() - activeBefore == 0) {
            line.fail("no delivery was dropped: the drill proved nothing");
        }
        return line;
    }

    /**
     * 7: checkout-service, then refund-service, then audit-service stopped while payments and
     * refunds keep coming -> nothing dead; everything applied within one backoff step after the
     * receiver returns. The suite runs with a compressed backoff (RELAY_MAX_BACKOFF_MS) and the
     * default max-attempts and retry window: the outage outlasts 10 attempts many times over.
     */
    Line receiverOutage() throws Exception {
        int n = quick ? 10 : 60;
        long outageMs = quick ? 15_000 : 60_000;
        Line line = new Line("receiver-outage");
        List<Payment> all = new ArrayList<>();
        long worstCatchUpMs = 0;

        // checkout down: payments succeed at Stripe, webhook-service keeps them for checkout
        List<Payment> p1 = checkouts("out-co", n);
        all.addAll(p1);
        suite("stop", "checkout");
        payAll(p1);
        Thread.sleep(outageMs);
        worstCatchUpMs = Math.max(worstCatchUpMs, receiverBack(line, "checkout"));
        until(Duration.ofSeconds(60), () -> active(p1) == p1.size());

        // refund down: moderation rejects paid listings, checkout keeps the automatic refunds for refund-service
        List<Payment> p2 = checkouts("out-rf", n);
        all.addAll(p2);
        payAll(p2);
        until(Duration.ofSeconds(60), () -> active(p2) == p2.size());
        suite("stop", "refund");
        for (Payment p : p2) {
            call("POST", co + "/admin/api/marketplace/listings/" + p.listingId + "/reject", Tokens.admin(), "{\"reason\":\"drill\"}");
        }
        Thread.sleep(outageMs);
        worstCatchUpMs = Math.max(worstCatchUpMs, receiverBack(line, "refund"));
        until(Duration.ofSeconds(60), () -> stripeRefunds(p2) == p2.size());

        // audit down: payments keep coming, their audit records wait
        List<Payment> p3 = checkouts("out-au", n);
        all.addAll(p3);
        suite("stop", "audit");
        payAll(p3);
        Thread.sleep(outageMs);
        worstCatchUpMs = Math.max(worstCatchUpMs, receiverBack(line, "audit"));
        until(Duration.ofSeconds(60), () -> activationsAudited(p3) == p3.size());

        settle(line, all, Duration.ofSeconds(60));
        int refunds = stripeRefunds(p2);
        if (refunds != p2.size()) {
            line.fail("stripe refunds " + refunds + " of " + p2.size());
        }
        long dead = dead();
        line.extra.put("dead", String.valueOf(dead));
        line.extra.put("outage_s", String.valueOf(outageMs / 1000));
        line.extra.put("catch_up_ms", String.valueOf(worstCatchUpMs));
        line.extra.put("backoff_step_ms", String.valueOf(relayMaxBackoffMs));
        if (dead > 0) {
            line.fail("dead messages: " + dead);
        }
        return line;
    }

    /**
     * Starts the receiver again and measures its senders' catch-up. The relay's part of "applied
     * within one backoff step" is checked by counting, not timing: once the receiver has been
     * ready for one backoff step, no sender reschedules a delivery to it any more (retry counters
     * at /q/metrics stand still) until the backlog it left is delivered. How long the receiver then
     * takes to apply that backlog (a cold JVM on a busy machine) is reported as catch_up_ms.
     */
    long receiverBack(Line line, String receiver) throws Exception {
        long readyAt = suiteStart(receiver);
        Thread.sleep(relayMaxBackoffMs + 200);
        long before = retries(receiver);
        long drained = until(Duration.ofSeconds(120), () -> backlog(receiver, readyAt) == 0);
        long after = retries(receiver);
        long left = backlog(receiver, readyAt);
        line.extra.put("catch_up_" + receiver + "_ms", String.valueOf(drained - readyAt));
        if (after > before) {
            line.fail((after - before) + " deliveries to " + receiver + " failed more than one backoff step after it was back");
        }
        if (left > 0) {
            line.fail(left + " messages to " + receiver + " still pending");
        }
        return drained - readyAt;
    }

    /** Rescheduled deliveries to this receiver, summed over its senders' /q/metrics. */
    long retries(String receiver) {
        long total = 0;
        String series = "homepage_outbox_delivery_attempts_total{destination=\"" + receiver + "\",outcome=\"retry\"} ";
        for (String sender : List.of(co, wh, rf, au)) {
            Resp metrics = call("GET", sender + "/q/metrics", null, null);
            for (String l : metrics.body.split("\n")) {
                if (l.startsWith(series)) {
                    // a counter: Prometheus writes it as a float ("3.0"), it counts whole attempts
                    total += (long) Double.parseDouble(l.substring(series.length()).trim());
                }
            }
        }
        return total;
    }

    /**
     * 2: each payment's events delivered in random order (and some twice), with a Dashboard refund
     * made right after each payment, so its refund events (charge.refunded, refund.created) are
     * held and shuffled together with the charge's and the payment's -> the same final rows
     * (checkout's listing and payment, refund-service's request and ledger) as an in-order control
     * run of the same traffic. Reports how many payments got a refund event before their
     * payment_intent.succeeded, and fails when none did (the drill would have proved nothing).
     */
    Line reordering() throws Exception {
        int n = quick ? 20 : 200;
        Line line = new Line("reordering");
        List<Payment> control = checkouts("order-control", n);
        faults("{\"seed\":7}");
        payAndRefund(control);
        settle(new Line("control"), control, Duration.ofSeconds(quick ? 120 : 360));
        awaitRefundsRecorded(control, Duration.ofSeconds(60));
        List<Payment> shuffled = checkouts("order-shuffled", n);
        faults("{\"seed\":17,\"deliveries\":{\"shuffle\":true,\"duplicateRate\":0.3,\"duplicateCopies\":2}}");
        payAndRefund(shuffled);
        // the shuffle fault sends each held batch one delivery after another (about 7 per payment
        // with the refund's events and the copies): the bound follows the count, the checks do not change
        settle(line, shuffled, Duration.ofSeconds(quick ? 120 : 360));
        awaitRefundsRecorded(shuffled, Duration.ofSeconds(60));
        faults("{\"seed\":7}");
        String expected = finalRows(control) + " | " + refundRows(control);
        String actual = finalRows(shuffled) + " | " + refundRows(shuffled);
        line.extra.put("refund_events_first", String.valueOf(refundEventsFirst(shuffled)));
        line.extra.put("refund_events_first_control", String.valueOf(refundEventsFirst(control)));
        line.extra.put("final_rows", actual.replace('\n', ' '));
        if (!expected.equals(actual)) {
            line.fail("final rows differ from the in-order control: " + expected.replace('\n', ' '));
        }
        if (refundEventsFirst(shuffled) == 0) {
            line.fail("no refund event came before its payment's: the drill proved nothing");
        }
        return line;
    }

    /** Pays each intent and at once refunds 100 of it in the Dashboard (the emulator's helper, never faulted). */
    void payAndRefund(List<Payment> payments) throws Exception {
        Semaphore limit = new Semaphore(16);
        List<Future<?>> futures = new ArrayList<>();
        for (Payment p : payments) {
            futures.add(pool.submit(() -> {
                limit.acquire();
                try {
                    Resp paid = call("POST", em + "/_emulator/payment_intents/" + p.intentId + "/pay", null, "{\"card\":\"success\"}");
                    Resp refunded = call("POST", em + "/_emulator/dashboard/refunds", null,
                            "{\"payment_intent\":\"" + p.intentId + "\",\"amount\":100}");
                    if (paid.status / 100 != 2 || refunded.status / 100 != 2) {
                        throw new IllegalStateException("pay and refund " + p.intentId + " -> " + paid.status + "/" + refunded.status);
                    }
                } finally {
                    limit.release();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
    }

    /** Waits (bounded) until refund-service recorded each payment's Dashboard refund. */
    void awaitRefundsRecorded(List<Payment> payments, Duration max) throws InterruptedException {
        String pis = quoted(payments.stream().map(Payment::intentId).toList());
        until(max, () -> Integer.parseInt(sql("SELECT count(*) FROM refund.refund_request WHERE origin = 'stripe' AND status = 'processed'"
                + " AND payment_intent_id IN (" + pis + ")")) == payments.size());
        awaitDeliveriesIdle(Duration.ofSeconds(30));
    }

    /** refund-service's final rows of these payments (requests and ledger), as counts per shape. */
    String refundRows(List<Payment> payments) {
        String pis = quoted(payments.stream().map(Payment::intentId).toList());
        return sql("SELECT shape || ' x' || count(*) FROM (SELECT p.captured || '/' || p.reserved || '/' || p.refunded_externally || '/'"
                + " || coalesce((SELECT string_agg(r.origin || ':' || r.status || ':' || r.reason || ':' || r.amount, ',' ORDER BY r.amount)"
                + " FROM refund.refund_request r WHERE r.payment_intent_id = p.payment_intent_id), '-') AS shape"
                + " FROM refund.refund_payment p WHERE p.payment_intent_id IN (" + pis + ")) x GROUP BY shape ORDER BY shape");
    }

    /**
     * Payments whose first refund event (charge.refunded / refund.*) reached webhook-service before
     * their payment_intent.succeeded did (the emulator's delivery log is in sending order).
     */
    @SuppressWarnings("unchecked")
    int refundEventsFirst(List<Payment> payments) {
        Map<String, String> intentOf = eventsOfIntents(payments, List.of("payment_intent.succeeded", "charge.refunded", "refund.created"));
        Map<String, Integer> firstSucceeded = new HashMap<>();
        Map<String, Integer> firstRefund = new HashMap<>();
        List<Object> log = (List<Object>) json(call("GET", em + "/_emulator/deliveries", null, null).body).get("data");
        for (int i = 0; i < log.size(); i++) {
            Map<String, Object> d = (Map<String, Object>) log.get(i);
            String intent = intentOf.get((String) d.get("event_id"));
            if (intent == null) {
                continue;
            }
            (("payment_intent.succeeded".equals(d.get("event_type"))) ? firstSucceeded : firstRefund).putIfAbsent(intent, i);
        }
        int first = 0;
        for (Payment p : payments) {
            Integer refund = firstRefund.get(p.intentId);
            Integer succeeded = firstSucceeded.get(p.intentId);
            if (refund != null && (succeeded == null || refund < succeeded)) {
                first++;
            }
        }
        return first;
    }

    /** Event id -> PaymentIntent id, for these payments' events of these types (the emulator's Events API). */
    @SuppressWarnings("unchecked")
    Map<String, String> eventsOfIntents(List<Payment> payments, List<String> types) {
        Set<String> intents = new HashSet<>();
        payments.forEach(p -> intents.add(p.intentId));
        Map<String, String> events = new HashMap<>();
        for (String type : types) {
            String after = null;
            for (int page = 0; page < 10_000; page++) {
                Map<String, Object> list = json(stripeGet("/v1/events?type=" + type + "&limit=100"
                        + (after == null ? "" : "&starting_after=" + after)).body);
                List<Object> data = (List<Object>) list.get("data");
                for (Object o : data) {
                    Map<String, Object> event = (Map<String, Object>) o;
                    Map<String, Object> object = (Map<String, Object>) ((Map<String, Object>) event.get("data")).get("object");
                    Object intent = type.startsWith("payment_intent.") ? object.get("id") : object.get("payment_intent");
                    if (intent != null && intents.contains((String) intent)) {
                        events.put((String) event.get("id"), (String) intent);
                    }
                    after = (String) event.get("id");
                }
                if (!Boolean.TRUE.equals(list.get("has_more")) || data.isEmpty()) {
                    break;
                }
            }
        }
        return events;
    }

    /** The final state of these payments' rows, as counts per shape (ids and times left out). */
    String finalRows(List<Payment> payments) {
        return sql("SELECT shape || ' x' || count(*) FROM (SELECT l.status || '/' || p.status || '/' || (l.activated_by_payment_id = p.id)"
                + " || '/' || (l.expires_at - l.activated_at) AS shape"
                + " FROM checkout.listing l JOIN checkout.payment p ON p.listing_id = l.id WHERE l.id IN (" + quoted(ids(payments)) + ")) x"
                + " GROUP BY shape ORDER BY shape");
    }

    /**
     * 5: Stripe faults on every API endpoint (20 % 5xx, 10 % timeouts, 5 % 429, 5 % lost responses)
     * during checkouts and automatic refunds -> exactly one PaymentIntent per checkout, one Stripe
     * refund per approved request, and per charge refunded at Stripe = processed in refund-service
     * <= captured. The frontend retries a failed checkout, as a user clicking again would.
     */
    @SuppressWarnings("unchecked")
    Line stripeFaults() throws Exception {
        int n = quick ? 20 : 200;
        String faults = "{\"seed\":19,\"endpoints\":{\"*\":{\"errorRate\":0.2,\"timeoutRate\":0.1,\"timeoutMs\":3000,"
                + "\"rateLimitRate\":0.05,\"lostResponseRate\":0.05}}}";
        Line line = new Line("stripe-faults");
        faults(faults);
        List<Payment> payments = checkouts("stripe", n);
        payAll(payments);
        until(Duration.ofSeconds(120), () -> activated(payments) == payments.size());
        for (Payment p : payments) {
            retried("POST", co + "/admin/api/marketplace/listings/" + p.listingId + "/reject", Tokens.admin(), "{\"reason\":\"drill\"}");
        }
        String pis = quoted(payments.stream().map(Payment::intentId).toList());
        until(Duration.ofSeconds(180), () -> Integer.parseInt(sql("SELECT count(*) FROM refund.refund_request WHERE status = 'processed' AND payment_intent_id IN ("
                + pis + ")")) == payments.size());
        faults("{\"seed\":7}");
        settle(line, payments, Duration.ofSeconds(60));

        // PaymentIntents per listing, from the emulator's list
        Set<String> listings = new HashSet<>(ids(payments));
        Map<String, Integer> intentsPerListing = new HashMap<>();
        String after = null;
        for (int page = 0; page < 10_000; page++) {
            Map<String, Object> list = json(stripeGet("/v1/payment_intents?limit=100" + (after == null ? "" : "&starting_after=" + after)).body);
            List<Object> data = (List<Object>) list.get("data");
            for (Object o : data) {
                Map<String, Object> pi = (Map<String, Object>) o;
                Object listing = ((Map<String, Object>) pi.get("metadata")).get("listing_id");
                if (listing != null && listings.contains((String) listing)) {
                    intentsPerListing.merge((String) listing, 1, Integer::sum);
                }
                after = (String) pi.get("id");
            }
            if (!Boolean.TRUE.equals(list.get("has_more")) || data.isEmpty()) {
                break;
            }
        }
        long notOne = listings.stream().filter(l -> intentsPerListing.getOrDefault(l, 0) != 1).count();
        // refunds per charge: at Stripe vs processed in refund-service vs captured
        Map<String, Long> processed = new HashMap<>();
        for (String row : column("SELECT payment_intent_id || ' ' || coalesce(sum(amount) FILTER (WHERE status = 'processed'), 0) FROM refund.refund_request"
                + " WHERE payment_intent_id IN (" + pis + ") GROUP BY payment_intent_id")) {
            String[] parts = row.split(" ");
            processed.put(parts[0], Long.parseLong(parts[1]));
        }
        int refundsNotOne = 0;
        int mismatched = 0;
        for (Payment p : payments) {
            List<Object> refunds = (List<Object>) json(stripeGet("/v1/refunds?payment_intent=" + p.intentId).body).get("data");
            long atStripe = 0;
            for (Object o : refunds) {
                Map<String, Object> r = (Map<String, Object>) o;
                if ("succeeded".equals(r.get("status")) || "pending".equals(r.get("status"))) {
                    atStripe += ((Number) r.get("amount")).longValue();
                }
            }
            Map<String, Object> pi = json(stripeGet("/v1/payment_intents/" + p.intentId).body);
            long captured = ((Number) pi.get("amount_received")).longValue();
            if (refunds.size() != 1) {
                refundsNotOne++;
            }
            if (atStripe != processed.getOrDefault(p.intentId, 0L) || atStripe > captured) {
                mismatched++;
            }
        }
        line.extra.put("intents_not_one_per_checkout", String.valueOf(notOne));
        line.extra.put("stripe_refunds_not_one_per_request", String.valueOf(refundsNotOne));
        line.extra.put("charges_refund_mismatch", String.valueOf(mismatched));
        if (notOne > 0 || refundsNotOne > 0 || mismatched > 0) {
            line.fail("PaymentIntents or refunds not exactly once");
        }
        return line;
    }

    /**
     * 10: on the same payments at once: a user's refund request approved by an admin, a moderation
     * rejection (automatic refund), a Dashboard refund (created at Stripe outside the suite, no
     * suite metadata) and the events they cause -> per charge, refunded at Stripe = processed in
     * refund-service (a Dashboard refund is recorded as a processed request of origin stripe) <=
     * captured, and one Stripe refund per processed request the suite made.
     */
    @SuppressWarnings("unchecked")
    Line refundRace() throws Exception {
        int n = quick ? 10 : 100;
        Line line = new Line("refund-race");
        List<Payment> payments = checkouts("race", n);
        payAll(payments);
        settle(line, payments, Duration.ofSeconds(60));
        // refund-service knows the payment once its succeeded event reached it
        String pis = quoted(payments.stream().map(Payment::intentId).toList());
        until(Duration.ofSeconds(60), () -> Integer.parseInt(sql("SELECT count(*) FROM refund.refund_payment WHERE payment_intent_id IN (" + pis + ")")) == n);
        List<Future<?>> racing = new ArrayList<>();
        for (Payment p : payments) {
            racing.add(pool.submit(() -> {
                Resp asked = call("POST", rf + "/api/marketplace/refunds", Tokens.user(p.userId),
                        "{\"paymentIntentId\":\"" + p.intentId + "\",\"amount\":200,\"note\":\"drill\"}");
                if (asked.status / 100 == 2) {
                    String id = (String) json(asked.body).get("id");
                    call("POST", rf + "/admin/api/marketplace/refunds/" + id + "/approve", Tokens.admin(), "{\"note\":\"drill\"}");
                }
                return null;
            }));
            racing.add(pool.submit(() -> call("POST", co + "/admin/api/marketplace/listings/" + p.listingId + "/reject", Tokens.admin(),
                    "{\"reason\":\"drill\"}")));
            racing.add(pool.submit(() -> dashboardRefund(p.intentId, 100)));
        }
        for (Future<?> f : racing) {
            f.get();
        }
        // settled: no request still approved (in flight at Stripe), no pending webhook work
        until(Duration.ofSeconds(120), () -> Integer.parseInt(sql("SELECT count(*) FROM refund.refund_request WHERE status = 'approved' AND payment_intent_id IN ("
                + pis + ")")) == 0);
        awaitDeliveriesIdle(Duration.ofSeconds(30));
        until(Duration.ofSeconds(60), () -> backlog("refund", System.currentTimeMillis()) == 0);

        Map<String, long[]> ledger = new HashMap<>(); // processed, external, captured
        for (String row : column("SELECT p.payment_intent_id || ' ' || coalesce((SELECT sum(amount) FROM refund.refund_request r WHERE r.payment_intent_id = p.payment_intent_id"
                + " AND r.status = 'processed'), 0) || ' ' || p.refunded_externally || ' ' || p.captured FROM refund.refund_payment p WHERE p.payment_intent_id IN (" + pis + ")")) {
            String[] parts = row.split(" ");
            ledger.put(parts[0], new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3])});
        }
        Map<String, Integer> stripeRefundsPerRequest = new HashMap<>();
        int mismatched = 0;
        int over = 0;
        long refundedTotal = 0;
        for (Payment p : payments) {
            long atStripe = 0;
            for (Object o : (List<Object>) json(stripeGet("/v1/refunds?payment_intent=" + p.intentId + "&limit=100").body).get("data")) {
                Map<String, Object> r = (Map<String, Object>) o;
                if ("succeeded".equals(r.get("status")) || "pending".equals(r.get("status"))) {
                    atStripe += ((Number) r.get("amount")).longValue();
                    Object request = ((Map<String, Object>) r.get("metadata")).get("refund_request_id");
                    if (request != null) {
                        stripeRefundsPerRequest.merge((String) request, 1, Integer::sum);
                    }
                }
            }
            refundedTotal += atStripe;
            long[] l = ledger.getOrDefault(p.intentId, new long[] {0, 0, 0});
            long captured = ((Number) json(stripeGet("/v1/payment_intents/" + p.intentId).body).get("amount_received")).longValue();
            if (atStripe > captured || l[0] > l[2]) {
                over++;
            }
            // a Dashboard refund becomes a processed request of origin 'stripe' (and counts in refunded_externally)
            if (atStripe != l[0]) {
                mismatched++;
            }
        }
        List<String> processedRequests = column("SELECT id FROM refund.refund_request WHERE status = 'processed' AND origin <> 'stripe'"
                + " AND payment_intent_id IN (" + pis + ")");
        long notOne = processedRequests.stream().filter(id -> stripeRefundsPerRequest.getOrDefault(id, 0) != 1).count();
        line.extra.put("refunded_cents", String.valueOf(refundedTotal));
        line.extra.put("processed_requests", String.valueOf(processedRequests.size()));
        line.extra.put("charges_over_captured", String.valueOf(over));
        line.extra.put("charges_ledger_mismatch", String.valueOf(mismatched));
        line.extra.put("requests_not_one_stripe_refund", String.valueOf(notOne));
        if (over > 0 || mismatched > 0 || notOne > 0) {
            line.fail("refund invariants");
        }
        return line;
    }

    /** A refund made in Stripe's Dashboard: straight at Stripe, no suite metadata. */
    Object dashboardRefund(String intentId, long amount) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(em + "/v1/refunds")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + STRIPE_KEY).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("payment_intent=" + intentId + "&amount=" + amount)).build();
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    /**
     * 3: kill -9 of webhook-service, then checkout-service, twice each, while payments are paid at
     * the emulator with its real signed webhooks (full form: 5,000 payments) -> nothing
     * acknowledged lost, no double activation, every paid listing active. The kills are placed by
     * progress (after 1/5, 2/5, 3/5 and 4/5 of the payments were paid), so each lands in the middle
     * of the run however long a restart takes on a busy machine.
     */
    Line crash() throws Exception {
        int n = quick ? 200 : 5000;
        Line line = new Line("crash");
        List<Payment> payments = checkouts("crash", n);
        AtomicInteger paid = new AtomicInteger();
        long paceMs = quick ? 300 : 20; // short: 200 payments over about a minute, longer than four restarts
        Future<?> paying = pool.submit(() -> {
            List<Future<?>> each = new ArrayList<>();
            for (Payment p : payments) {
                each.add(pool.submit(() -> call("POST", em + "/_emulator/payment_intents/" + p.intentId + "/pay", null, "{\"card\":\"success\"}")));
                paid.incrementAndGet();
                Thread.sleep(paceMs);
            }
            for (Future<?> f : each) {
                f.get();
            }
            return null;
        });
        int kills = 0;
        List<String> killedAt = new ArrayList<>();
        for (String victim : List.of("webhook", "checkout", "webhook", "checkout")) {
            int at = n * (kills + 1) / 5;
            until(Duration.ofMinutes(10), () -> paid.get() >= at, 50);
            suite("kill9", victim);
            killedAt.add(victim + "@" + paid.get());
            kills++;
            suiteStart(victim);
        }
        paying.get();
        settle(line, payments, Duration.ofSeconds(quick ? 120 : 600));
        int active = active(payments);
        line.extra.put("kills", String.valueOf(kills));
        line.extra.put("killed_at_paid", String.join("/", killedAt));
        line.extra.put("active_at_end", String.valueOf(active));
        if (active != payments.size()) {
            line.fail((payments.size() - active) + " paid listings not active at the end");
        }
        return line;
    }

    // ------------------------------------------------------------------ 4: Postgres restart

    /**
     * 4: Postgres (a private cluster: scripts/drills.sh runs this drill on its own, never on the
     * shared one) stopped under load, kept down, started again -> while it is down the intakes
     * answer 5xx, never 2xx without a durable write; every service is ready again and serves a
     * write within 10 s of its return (measured per service); every event the emulator got a 2xx
     * for is stored and applied.
     */
    @SuppressWarnings("unchecked")
    Line postgresRestart() throws Exception {
        int n = quick ? 30 : 300;
        long downMs = quick ? 5_000 : 30_000;
        Line line = new Line("postgres-restart");
        List<Payment> payments = checkouts("pg", n);
        List<long[]> frontend = java.util.Collections.synchronizedList(new ArrayList<>()); // at, status
        List<String> createdWhileDown = java.util.Collections.synchronizedList(new ArrayList<>());
        long[] window = {Long.MAX_VALUE, Long.MAX_VALUE}; // stop requested, start done
        java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean(true);
        // the frontend keeps creating listings (one write each) before, during and after the outage
        Future<?> writes = pool.submit(() -> {
            String user = UUID.randomUUID().toString();
            int i = 0;
            while (loading.get()) {
                long at = System.currentTimeMillis();
                Resp r = call("POST", co + "/api/marketplace/listings", Tokens.user(user),
                        "{\"categoryId\":\"" + HOUSING + "\",\"title\":\"drill-" + run + "-pg-frontend-" + i++ + "\"}");
                frontend.add(new long[] {at, r.status});
                if (r.status / 100 == 2 && at >= window[0] && at <= window[1]) {
                    createdWhileDown.add((String) json(r.body).get("id"));
                }
                Thread.sleep(100);
            }
            return null;
        });
        // Stripe.js pays the intents across the outage; the emulator delivers their signed webhooks
        long spanMs = 3_000 + downMs + 5_000;
        Future<?> paying = pool.submit(() -> {
            for (Payment p : payments) {
                pool.submit(() -> call("POST", em + "/_emulator/payment_intents/" + p.intentId + "/pay", null, "{\"card\":\"success\"}"));
                Thread.sleep(Math.max(1, spanMs / payments.size()));
            }
            return null;
        });
        Thread.sleep(3_000);
        window[0] = System.currentTimeMillis();
        run(List.of("scripts/private-postgres.sh", "stop"));
        long stoppedAt = System.currentTimeMillis();
        Thread.sleep(downMs);
        run(List.of("scripts/private-postgres.sh", "start"));
        long back = System.currentTimeMillis();
        window[1] = back;
        // recovery, per service: ready again and a real request that writes
        Map<String, Long> recovered = new LinkedHashMap<>();
        String user = UUID.randomUUID().toString();
        Map<String, BooleanSupplier> serves = new LinkedHashMap<>();
        serves.put("checkout", () -> ready(co) && call("POST", co + "/api/marketplace/listings", Tokens.user(user),
                "{\"categoryId\":\"" + HOUSING + "\",\"title\":\"drill-" + run + "-pg-probe\"}").status / 100 == 2);
        serves.put("webhook", () -> ready(wh) && call("GET", wh + "/admin/api/outbox/dead?limit=1", Tokens.admin(), null).status == 200);
        serves.put("refund", () -> ready(rf) && call("GET", rf + "/admin/api/marketplace/refunds?limit=1", Tokens.admin(), null).status == 200);
        serves.put("audit", () -> ready(au) && call("GET", au + "/q/health/ready", null, null).status == 200);
        // measured side by side: each service's time is its own, not the sum of the ones checked before
        Map<String, Future<Long>> probes = new LinkedHashMap<>();
        serves.forEach((svc, check) -> probes.put(svc, pool.submit(() -> until(Duration.ofSeconds(60), check, 100))));
        long worst = 0;
        for (Map.Entry<String, Future<Long>> e : probes.entrySet()) {
            long at = e.getValue().get();
            recovered.put(e.getKey(), at - back);
            worst = Math.max(worst, at - back);
        }
        paying.get();
        Thread.sleep(2_000);
        loading.set(false);
        writes.get();
        settle(line, payments, Duration.ofSeconds(quick ? 120 : 240));

        // intake while it was down: the emulator's deliveries and the frontend's writes
        // a 2xx while it was down is honest for an event type webhook-service ignores (nothing to
        // store), or when the event is stored now (the answer came just before the stop)
        int hooks2xx = 0;
        int hooks5xx = 0;
        int ignored2xx = 0;
        int ackedNotStored = 0;
        Set<String> routedTypes = new HashSet<>(column("SELECT DISTINCT type FROM webhook.webhook_event"));
        for (Object o : (List<Object>) json(call("GET", em + "/_emulator/deliveries", null, null).body).get("data")) {
            Map<String, Object> d = (Map<String, Object>) o;
            long at = java.time.Instant.parse((String) d.get("timestamp")).toEpochMilli();
            if (at < stoppedAt + 500 || at > back) {
                continue;
            }
            Object status = d.get("http_status");
            if (!(status instanceof Number st && st.intValue() / 100 == 2)) {
                hooks5xx++;
            } else if (!routedTypes.contains((String) d.get("event_type"))) {
                ignored2xx++;
            } else {
                hooks2xx++;
                if (Integer.parseInt(sql("SELECT count(*) FROM webhook.webhook_event WHERE event_id = '" + d.get("event_id") + "'")) != 1) {
                    ackedNotStored++;
                }
            }
        }
        int front2xx = 0;
        int front5xx = 0;
        synchronized (frontend) {
            for (long[] f : frontend) {
                if (f[0] >= stoppedAt + 500 && f[0] <= back) {
                    if (f[1] / 100 == 2) {
                        front2xx++;
                    } else if (f[1] / 100 == 5) {
                        front5xx++;
                    }
                }
            }
        }
        // a 2xx while it was down is only honest when the write is there now
        int notDurable = 0;
        synchronized (createdWhileDown) {
            for (String id : createdWhileDown) {
                if (Integer.parseInt(sql("SELECT count(*) FROM checkout.listing WHERE id = '" + id + "'")) != 1) {
                    notDurable++;
                }
            }
        }
        recovered.forEach((svc, ms) -> line.extra.put("recover_" + svc + "_ms", String.valueOf(ms)));
        line.extra.put("down_s", String.valueOf(downMs / 1000));
        line.extra.put("webhooks_while_down_5xx", String.valueOf(hooks5xx));
        line.extra.put("webhooks_while_down_2xx", String.valueOf(hooks2xx));
        line.extra.put("webhooks_while_down_2xx_ignored_types", String.valueOf(ignored2xx));
        line.extra.put("frontend_while_down_5xx", String.valueOf(front5xx));
        line.extra.put("frontend_while_down_2xx", String.valueOf(front2xx));
        line.extra.put("not_durable", String.valueOf(notDurable + ackedNotStored));
        if (worst > 10_000) {
            line.fail("a service took " + worst + " ms to serve again after Postgres returned (limit 10000)");
        }
        if (notDurable + ackedNotStored > 0) {
            line.fail((notDurable + ackedNotStored) + " requests answered 2xx while Postgres was down are not stored");
        }
        if (hooks5xx + front5xx == 0) {
            line.fail("no request reached the suite while Postgres was down: the drill proved nothing");
        }
        return line;
    }

    boolean ready(String base) {
        return call("GET", base + "/q/health/ready", null, null).status == 200;
    }

    // ------------------------------------------------------------------ 8: rolling restart

    /**
     * 8: each service rolled under load as Kubernetes does with maxSurge 1 / maxUnavailable 0: a
     * new instance started on another port, ready, added to the service's splitter; then SIGTERM to
     * the old one, which the splitter stops routing to once its readiness fails (graceful shutdown:
     * readiness down first, then in-flight requests and relay deliveries drained). -> no frontend
     * call failed (the frontend is counted without retries), every webhook acknowledged, 0 lost.
     */
    Line rollingRestart() throws Exception {
        int n = quick ? 40 : 400;
        Line line = new Line("rolling-restart");
        List<Payment> payments = checkouts("roll", n);
        Splitter.Counts before = splitterCounts();
        Load load = new Load("roll");
        Future<?> paying = payPaced(payments, quick ? 25_000 : 120_000);
        int rolls = 0;
        for (String svc : List.of("checkout", "webhook", "refund", "audit")) {
            Thread.sleep(quick ? 1_000 : 5_000);
            roll(svc);
            rolls++;
        }
        paying.get();
        load.stop();
        settle(line, payments, Duration.ofSeconds(quick ? 120 : 240));
        Splitter.Counts after = splitterCounts();
        line.extra.put("rolls", String.valueOf(rolls));
        line.extra.put("frontend_calls", String.valueOf(load.calls.get()));
        line.extra.put("frontend_failed", String.valueOf(load.failed.get()));
        line.extra.put("splitter_requests", String.valueOf(after.requests() - before.requests()));
        line.extra.put("splitter_errors", String.valueOf(after.errors() - before.errors()));
        line.extra.put("webhook_deliveries_retried", String.valueOf(failedDeliveries(payments)));
        line.extra.put("splitter_error_kinds", errorKinds());
        if (load.failed.get() > 0) {
            line.fail(load.failed.get() + " frontend calls failed during the rolls (" + load.lastFailure + ")");
        }
        if (after.errors() > before.errors()) {
            line.fail((after.errors() - before.errors()) + " requests the splitter could not place or that failed at an instance");
        }
        return line;
    }

    /** maxSurge 1 / maxUnavailable 0: new instance up and ready, added, then SIGTERM to the old one. */
    void roll(String svc) throws Exception {
        Map<String, Integer> current = instances.get(svc);
        String old = current.keySet().iterator().next();
        int generation = 2;
        while (current.containsKey(svc + "-r" + generation) || generation * 10 <= maxOffsetUsed(svc)) {
            generation++;
        }
        String name = svc + "-r" + generation;
        int port = servicePort(svc) + 10 * generation;
        suite("start-one", svc, name, String.valueOf(port));
        splitters.get(svc).add("http://127.0.0.1:" + port);
        current.put(name, port);
        int oldPort = current.get(old);
        suite("stop", instanceName(svc, old)); // SIGTERM; waits until the process has exited
        splitters.get(svc).remove("http://127.0.0.1:" + oldPort);
        current.remove(old);
    }

    int maxOffsetUsed(String svc) {
        return instances.get(svc).values().stream().mapToInt(p -> p - servicePort(svc)).max().orElse(0);
    }

    /** suite-start.sh's pid name: the service's own instance is its plain name. */
    static String instanceName(String svc, String instance) {
        return instance.equals(svc) ? svc : instance;
    }

    // ------------------------------------------------------------------ 9: replicas

    /**
     * 9: two webhook-service and two checkout-service replicas behind the round-robin splitters,
     * sharing the intake and the relay (one database) -> no event stored twice, no message sent or
     * applied twice; throughput (payments paid to listings activated per second) reported beside
     * one replica's, measured the same way just before.
     */
    Line replicas() throws Exception {
        int n = quick ? 40 : 400;
        Line line = new Line("replicas");
        // one replica each: the reference
        List<Payment> single = checkouts("one-replica", n);
        long t0 = System.currentTimeMillis();
        payAll(single);
        long t1 = until(Duration.ofSeconds(240), () -> activated(single) == single.size());
        settle(new Line("one-replica"), single, Duration.ofSeconds(60));
        double oneRate = single.size() * 1000.0 / Math.max(1, t1 - t0);
        // a second replica of webhook- and checkout-service
        for (String svc : List.of("webhook", "checkout")) {
            Map<String, Integer> current = instances.get(svc);
            int generation = 2;
            while (generation * 10 <= maxOffsetUsed(svc)) {
                generation++;
            }
            String name = svc + "-r" + generation;
            int port = servicePort(svc) + 10 * generation;
            suite("start-one", svc, name, String.valueOf(port));
            splitters.get(svc).add("http://127.0.0.1:" + port);
            current.put(name, port);
        }
        Map<String, Map<String, Integer>> servedBefore = new LinkedHashMap<>();
        for (String svc : List.of("webhook", "checkout")) {
            servedBefore.put(svc, splitters.get(svc).served());
        }
        List<Payment> payments = checkouts("two-replicas", n);
        faults("{\"seed\":23,\"deliveries\":{\"duplicateRate\":0.5,\"duplicateCopies\":3}}");
        long t2 = System.currentTimeMillis();
        payAll(payments);
        long t3 = until(Duration.ofSeconds(240), () -> activated(payments) == payments.size());
        faults("{\"seed\":7}");
        settle(line, payments, Duration.ofSeconds(60));
        double twoRate = payments.size() * 1000.0 / Math.max(1, t3 - t2);
        Map<String, Integer> perBackend = new LinkedHashMap<>();
        for (String svc : List.of("webhook", "checkout")) {
            // requests per current instance during the two-replica batch
            Map<String, Integer> was = servedBefore.get(svc);
            for (String url : splitters.get(svc).backends) {
                int count = splitters.get(svc).served().getOrDefault(url, 0) - was.getOrDefault(url, 0);
                perBackend.put(svc + "@" + url.substring(url.lastIndexOf(':') + 1), count);
            }
        }
        String pis = quoted(payments.stream().map(Payment::intentId).toList());
        int sentTwice = Integer.parseInt(sql("SELECT count(*) FROM (SELECT payload FROM webhook.outbox_message WHERE destination = 'checkout'"
                + " AND payload LIKE '%pi_%' GROUP BY destination, path, payload HAVING count(*) > 1) x"));
        int storedTwice = Integer.parseInt(sql("SELECT count(*) FROM (SELECT event_id FROM webhook.webhook_event GROUP BY event_id HAVING count(*) > 1) x"));
        int paymentsTwice = Integer.parseInt(sql("SELECT count(*) FROM (SELECT payment_intent_id FROM checkout.payment WHERE payment_intent_id IN ("
                + pis + ") GROUP BY payment_intent_id HAVING count(*) > 1) x"));
        line.doubled += sentTwice + storedTwice + paymentsTwice;
        line.extra.put("events_stored_twice", String.valueOf(storedTwice));
        line.extra.put("messages_sent_twice", String.valueOf(sentTwice));
        line.extra.put("payments_twice", String.valueOf(paymentsTwice));
        line.extra.put("throughput_one_replica_per_s", String.format("%.1f", oneRate));
        line.extra.put("throughput_two_replicas_per_s", String.format("%.1f", twoRate));
        line.extra.put("served", perBackend.toString().replace(", ", "/"));
        if (sentTwice + storedTwice + paymentsTwice > 0) {
            line.fail("something stored, sent or applied twice");
        }
        if (perBackend.values().stream().anyMatch(c -> c == 0)) {
            line.fail("a replica served nothing: the splitter did not spread the load");
        }
        return line;
    }

    // ------------------------------------------------------------------ load and splitters

    /** Stripe.js paying the intents paced over about {@code spanMs}; the emulator sends their signed webhooks. */
    Future<?> payPaced(List<Payment> payments, long spanMs) {
        return pool.submit(() -> {
            List<Future<?>> each = new ArrayList<>();
            for (Payment p : payments) {
                each.add(pool.submit(() -> call("POST", em + "/_emulator/payment_intents/" + p.intentId + "/pay", null, "{\"card\":\"success\"}")));
                Thread.sleep(Math.max(1, spanMs / payments.size()));
            }
            for (Future<?> f : each) {
                f.get();
            }
            return null;
        });
    }

    /** The frontend: listings and checkouts through checkout's splitter, without retries (every failure counts). */
    final class Load {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        volatile String lastFailure = "";
        final java.util.concurrent.atomic.AtomicBoolean on = new java.util.concurrent.atomic.AtomicBoolean(true);
        final Future<?> task;

        Load(String tag) {
            task = pool.submit(() -> {
                String user = UUID.randomUUID().toString();
                int i = 0;
                while (on.get()) {
                    String token = Tokens.user(i % 20 == 0 ? (user = UUID.randomUUID().toString()) : user);
                    Resp listing = call("POST", co + "/api/marketplace/listings", token,
                            "{\"categoryId\":\"" + HOUSING + "\",\"title\":\"drill-" + run + "-" + tag + "-load-" + i++ + "\"}");
                    count(listing);
                    if (listing.status / 100 == 2) {
                        count(call("POST", co + "/api/marketplace/listings/" + json(listing.body).get("id") + "/checkout", token, "{}"));
                    }
                    Thread.sleep(50);
                }
                return null;
            });
        }

        void count(Resp r) {
            calls.incrementAndGet();
            if (r.status / 100 != 2) {
                failed.incrementAndGet();
                lastFailure = r.status + " " + (r.body.length() > 120 ? r.body.substring(0, 120) : r.body);
            }
        }

        void stop() throws Exception {
            on.set(false);
            task.get();
        }
    }

    /** Non-2xx webhook deliveries (Stripe retries them) of these payments' events. */
    @SuppressWarnings("unchecked")
    int failedDeliveries(List<Payment> payments) {
        Set<String> events = eventsOfIntents(payments, List.of("payment_intent.succeeded", "charge.succeeded")).keySet();
        int failed = 0;
        for (Object o : (List<Object>) json(call("GET", em + "/_emulator/deliveries", null, null).body).get("data")) {
            Map<String, Object> d = (Map<String, Object>) o;
            if (events.contains((String) d.get("event_id")) && !(d.get("http_status") instanceof Number st && st.intValue() / 100 == 2)) {
                failed++;
            }
        }
        return failed;
    }

    int servicePort(String svc) {
        return portBase + switch (svc) {
            case "checkout" -> 1;
            case "webhook" -> 2;
            case "refund" -> 3;
            case "audit" -> 4;
            default -> throw new IllegalArgumentException(svc);
        };
    }

    /** scripts/drills.sh started each service on its port + SUITE_INSTANCE_OFFSET; the splitters take the service ports. */
    void startSplitters() throws IOException {
        for (String svc : List.of("checkout", "webhook", "refund", "audit")) {
            Splitter s = new Splitter(svc, servicePort(svc));
            s.add("http://127.0.0.1:" + (servicePort(svc) + instanceOffset));
            splitters.put(svc, s);
            Map<String, Integer> own = new LinkedHashMap<>();
            own.put(svc, servicePort(svc) + instanceOffset);
            instances.put(svc, own);
        }
    }

    String errorKinds() {
        Map<String, Integer> kinds = new java.util.TreeMap<>();
        splitters.values().forEach(s -> s.errorKinds.forEach((k, v) -> kinds.put(k, v.get())));
        return kinds.isEmpty() ? "none" : kinds.toString().replace(", ", "/");
    }

    Splitter.Counts splitterCounts() {
        long requests = 0;
        long errors = 0;
        for (Splitter s : splitters.values()) {
            requests += s.requests.get();
            errors += s.errors.get();
        }
        return new Splitter.Counts(requests, errors);
    }

    /**
     * A Kubernetes Service in small: round-robin over the instances whose readiness answers 200
     * (probed every 100 ms with a kubelet's default failureThreshold of 3: a probe that times out
     * on a busy machine does not take a healthy instance out), one new connection per request (as
     * kube-proxy balances connections). An instance is only added once it is ready; a stopping one
     * drops out when its readiness fails. Counts requests, and errors it answered itself (no ready
     * instance, connection failed) or got as 5xx from an instance, by kind and path.
     */
    static final class Splitter implements AutoCloseable {
        record Counts(long requests, long errors) {
        }

        static final Set<String> HOP = Set.of("connection", "content-length", "host", "transfer-encoding", "upgrade", "expect",
                "keep-alive", "te", "trailer", "proxy-connection", "http2-settings");
        final String name;
        final com.sun.net.httpserver.HttpServer server;
        final java.util.concurrent.CopyOnWriteArrayList<String> backends = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Map<String, Boolean> readiness = new ConcurrentHashMap<>();
        final Map<String, Integer> probeFailures = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> errorKinds = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
        final AtomicInteger next = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicLong errors = new java.util.concurrent.atomic.AtomicLong();
        final HttpClient client;
        final Thread prober;
        volatile boolean closed;

        Splitter(String name, int port) throws IOException {
            this.name = name;
            this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).version(HttpClient.Version.HTTP_1_1).build();
            this.server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", port), 256);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", this::forward);
            server.start();
            prober = Thread.ofVirtual().start(() -> {
                while (!closed) {
                    for (String b : backends) {
                        if (probe(b)) {
                            probeFailures.put(b, 0);
                            readiness.put(b, true);
                        } else if (probeFailures.merge(b, 1, Integer::sum) >= 3) {
                            readiness.put(b, false);
                        }
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        boolean probe(String backend) {
            try {
                HttpRequest r = HttpRequest.newBuilder(URI.create(backend + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                        .header("Connection", "close").GET().build();
                return client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /** Added once ready (the caller waited for it); routed to while its readiness answers 200. */
        void add(String backend) {
            readiness.put(backend, probe(backend));
            served.putIfAbsent(backend, new AtomicInteger());
            backends.add(backend);
        }

        void remove(String backend) {
            backends.remove(backend);
            readiness.remove(backend);
        }

        Map<String, Integer> served() {
            Map<String, Integer> m = new LinkedHashMap<>();
            served.forEach((k, v) -> m.put(k, v.get()));
            return m;
        }

        String pick() {
            List<String> ready = backends.stream().filter(b -> Boolean.TRUE.equals(readiness.get(b))).toList();
            return ready.isEmpty() ? null : ready.get(Math.floorMod(next.getAndIncrement(), ready.size()));
        }

        void forward(com.sun.net.httpserver.HttpExchange ex) throws IOException {
            requests.incrementAndGet();
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                String backend = pick();
                if (backend == null) {
                    error("no-ready-instance", ex);
                    ex.sendResponseHeaders(503, -1);
                    return;
                }
                served.get(backend).incrementAndGet();
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(backend + ex.getRequestURI())).timeout(Duration.ofSeconds(60))
                        .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
                ex.getRequestHeaders().forEach((k, vs) -> {
                    if (!HOP.contains(k.toLowerCase())) {
                        vs.forEach(v -> b.header(k, v));
                    }
                });
                b.header("Connection", "close");
                HttpResponse<byte[]> r;
                try {
                    r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (IOException e) {
                    error("connection-failed", ex);
                    ex.sendResponseHeaders(502, -1);
                    return;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    ex.sendResponseHeaders(502, -1);
                    return;
                }
                if (r.statusCode() >= 500) {
                    error("instance-" + r.statusCode(), ex);
                }
                r.headers().map().forEach((k, vs) -> {
                    if (!HOP.contains(k.toLowerCase()) && !k.startsWith(":")) {
                        ex.getResponseHeaders().put(k, vs);
                    }
                });
                byte[] out = r.body();
                ex.sendResponseHeaders(r.statusCode(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) {
                    ex.getResponseBody().write(out);
                }
            }
        }

        void error(String kind, com.sun.net.httpserver.HttpExchange ex) {
            errors.incrementAndGet();
            String path = ex.getRequestURI().getPath().replaceAll("/[0-9a-f-]{36}", "/{id}");
            errorKinds.computeIfAbsent(name + ":" + kind + ":" + ex.getRequestMethod() + " " + path, k -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void close() {
            closed = true;
            prober.interrupt();
            server.stop(0);
        }
    }

    // ------------------------------------------------------------------ counting

    /**
     * Waits (bounded) until every payment is applied and audited, then counts: offered = payments
     * paid; acknowledged = their payment_intent.succeeded events with a 2xx at the emulator;
     * effects = listings activated; lost = acknowledged events not stored, or paid listings not
     * activated; doubled = listings activated more than once (audit trail) or paid twice.
     */
    void settle(Line line, List<Payment> payments, Duration max) throws Exception {
        until(max, () -> activated(payments) == payments.size() && activationsAudited(payments) == payments.size());
        awaitDeliveriesIdle(Duration.ofSeconds(30));
        Map<String, String> events = succeededEvents(payments);
        Set<String> acked = successfulDeliveriesPerEvent(events.keySet()).keySet();
        Set<String> stored = new HashSet<>(column("SELECT event_id FROM webhook.webhook_event WHERE event_id IN (" + quoted(acked) + ")"));
        long notStored = acked.stream().filter(e -> !stored.contains(e)).count();
        int activated = activated(payments);
        int doubled = Integer.parseInt(sql("SELECT count(*) FROM (SELECT listing_id FROM audit.audit_entry WHERE action = 'listing.activated' AND listing_id IN ("
                + quoted(ids(payments)) + ") GROUP BY listing_id HAVING count(*) > 1) x"));
        int paidTwice = Integer.parseInt(sql("SELECT count(*) FROM (SELECT listing_id FROM checkout.payment WHERE status = 'succeeded' AND purpose = 'posting_fee' AND listing_id IN ("
                + quoted(ids(payments)) + ") GROUP BY listing_id HAVING count(*) > 1) x"));
        line.offered = payments.size();
        line.acknowledged = acked.size();
        line.effects = activated;
        line.lost = (int) notStored + (payments.size() - activated);
        line.doubled = doubled + paidTwice;
        line.extra.put("events", String.valueOf(events.size()));
        line.extra.put("audited", String.valueOf(activationsAudited(payments)));
        if (line.lost > 0 || line.doubled > 0 || line.effects != payments.size() || events.size() != payments.size()) {
            line.fail(null);
        }
    }

    /** Listings that were activated at some point (later rejection keeps activated_at). */
    int activated(List<Payment> payments) {
        return Integer.parseInt(sql("SELECT count(*) FROM checkout.listing WHERE activated_at IS NOT NULL AND id IN (" + quoted(ids(payments)) + ")"));
    }

    int active(List<Payment> payments) {
        return Integer.parseInt(sql("SELECT count(*) FROM checkout.listing WHERE status = 'active' AND id IN (" + quoted(ids(payments)) + ")"));
    }

    int activationsAudited(List<Payment> payments) {
        return Integer.parseInt(sql("SELECT count(DISTINCT listing_id) FROM audit.audit_entry WHERE action = 'listing.activated' AND listing_id IN ("
                + quoted(ids(payments)) + ")"));
    }

    /** Messages written before {@code beforeMs} still waiting for this receiver, in every sender's outbox. */
    long backlog(String destination, long beforeMs) {
        long pending = 0;
        for (String schema : List.of("checkout", "webhook", "refund", "audit")) {
            pending += Long.parseLong(sql("SELECT count(*) FROM " + schema + ".outbox_message WHERE status = 'pending' AND destination = '"
                    + destination + "' AND created_at < to_timestamp(" + beforeMs + " / 1000.0)"));
        }
        return pending;
    }

    long dead() {
        long dead = 0;
        for (String schema : List.of("checkout", "webhook", "refund", "audit")) {
            dead += Long.parseLong(sql("SELECT count(*) FROM " + schema + ".outbox_message WHERE status = 'dead'"));
        }
        return dead;
    }

    /** Refunds at the emulator for these payments (GET /v1/refunds?payment_intent=...). */
    int stripeRefunds(List<Payment> payments) {
        int total = 0;
        for (Payment p : payments) {
            Map<String, Object> list = json(stripeGet("/v1/refunds?payment_intent=" + p.intentId).body);
            total += ((List<?>) list.get("data")).size();
        }
        return total;
    }

    /** payment_intent.succeeded event id -> intent id, for these payments, from the emulator's Events API. */
    @SuppressWarnings("unchecked")
    Map<String, String> succeededEvents(List<Payment> payments) {
        Set<String> intents = new HashSet<>();
        payments.forEach(p -> intents.add(p.intentId));
        Map<String, String> events = new HashMap<>();
        String after = null;
        for (int page = 0; page < 10_000; page++) {
            Map<String, Object> list = json(stripeGet("/v1/events?type=payment_intent.succeeded&limit=100"
                    + (after == null ? "" : "&starting_after=" + after)).body);
            List<Object> data = (List<Object>) list.get("data");
            for (Object o : data) {
                Map<String, Object> event = (Map<String, Object>) o;
                Map<String, Object> object = (Map<String, Object>) ((Map<String, Object>) event.get("data")).get("object");
                if (intents.contains((String) object.get("id"))) {
                    events.put((String) event.get("id"), (String) object.get("id"));
                }
                after = (String) event.get("id");
            }
            if (!Boolean.TRUE.equals(list.get("has_more")) || data.isEmpty()) {
                break;
            }
        }
        return events;
    }

    /** Event id -> number of 2xx deliveries in the emulator's delivery log. */
    @SuppressWarnings("unchecked")
    Map<String, Integer> successfulDeliveriesPerEvent(Collection<String> eventIds) {
        Set<String> wanted = new HashSet<>(eventIds);
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Object> log = json(call("GET", em + "/_emulator/deliveries", null, null).body);
        for (Object o : (List<Object>) log.get("data")) {
            Map<String, Object> d = (Map<String, Object>) o;
            Object status = d.get("http_status");
            if (wanted.contains((String) d.get("event_id")) && status instanceof Number s && s.intValue() / 100 == 2) {
                counts.merge((String) d.get("event_id"), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Deliveries the emulator's drop fault never sent. */
    @SuppressWarnings("unchecked")
    long dropped() {
        Map<String, Object> log = json(call("GET", em + "/_emulator/deliveries", null, null).body);
        return ((List<Object>) log.get("data")).stream().filter(o -> Boolean.TRUE.equals(((Map<String, Object>) o).get("dropped"))
                || "dropped".equals(((Map<String, Object>) o).get("error"))).count();
    }

    /** Waits (bounded) until the emulator has no webhook delivery in flight or waiting for a retry. */
    @SuppressWarnings("unchecked")
    void awaitDeliveriesIdle(Duration max) throws InterruptedException {
        int[] last = {-1};
        until(max, () -> {
            Map<String, Object> log = json(call("GET", em + "/_emulator/deliveries", null, null).body);
            int size = ((List<Object>) log.get("data")).size();
            boolean quiet = size == last[0];
            last[0] = size;
            return quiet;
        }, 2_000);
    }

    // ------------------------------------------------------------------ traffic

    record Payment(String listingId, String intentId, String userId) {
    }

    /** Listings in a paid category with a PaymentIntent each, as the frontend makes them (20 per user). */
    List<Payment> checkouts(String tag, int n) throws Exception {
        List<Payment> payments = new ArrayList<>(n);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < (n + 19) / 20; i++) {
            users.add(UUID.randomUUID().toString());
        }
        List<Future<Payment>> futures = new ArrayList<>();
        Semaphore limit = new Semaphore(16);
        for (int i = 0; i < n; i++) {
            String user = users.get(i / 20);
            String title = "drill-" + run + "-" + tag + "-" + i;
            futures.add(pool.submit(() -> {
                limit.acquire();
                try {
                    String token = Tokens.user(user);
                    Resp listing = retried("POST", co + "/api/marketplace/listings", token,
                            "{\"categoryId\":\"" + HOUSING + "\",\"title\":\"" + title + "\"}");
                    String id = (String) json(listing.body).get("id");
                    Resp checkout = retried("POST", co + "/api/marketplace/listings/" + id + "/checkout", token, "{}");
                    return new Payment(id, (String) json(checkout.body).get("paymentIntentId"), user);
                } finally {
                    limit.release();
                }
            }));
        }
        for (Future<Payment> f : futures) {
            payments.add(f.get());
        }
        return payments;
    }

    /** Stripe.js confirming each intent with a good card (the emulator's helper, never faulted). */
    void payAll(List<Payment> payments) throws Exception {
        Semaphore limit = new Semaphore(16);
        List<Future<?>> futures = new ArrayList<>();
        for (Payment p : payments) {
            futures.add(pool.submit(() -> {
                limit.acquire();
                try {
                    Resp r = call("POST", em + "/_emulator/payment_intents/" + p.intentId + "/pay", null, "{\"card\":\"success\"}");
                    if (r.status / 100 != 2) {
                        throw new IllegalStateException("pay " + p.intentId + " -> " + r.status);
                    }
                } finally {
                    limit.release();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
    }

    /** The caller's side: a frontend retries a failed or refused call (the suite is idempotent per listing). */
    Resp retried(String method, String url, String token, String body) throws InterruptedException {
        Resp last = null;
        for (int attempt = 0; attempt < 60; attempt++) {
            last = call(method, url, token, body);
            if (last.status / 100 == 2) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(method + " " + url + " -> " + last.status + " " + last.body);
    }

    void faults(String json) {
        call("PUT", em + "/_emulator/faults", null, json);
    }

    Resp stripeGet(String path) {
        return call("GET", em + path, "Bearer " + STRIPE_KEY, null);
    }

    record Resp(int status, String body) {
    }

    Resp call(String method, String url, String token, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", token.startsWith("Bearer ") ? token : "Bearer " + token);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Resp(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Resp(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Resp(0, "interrupted");
        }
    }

    // ------------------------------------------------------------------ the suite's processes

    /** scripts/suite-start.sh with the caller's environment (ports, database, run dir). */
    static String suite(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("scripts/suite-start.sh");
        cmd.addAll(List.of(args));
        if (args[0].equals("kill9")) {
            String pid = null;
            for (String l : run(List.of("scripts/suite-start.sh", "pids")).split("\n")) {
                if (l.startsWith(args[1] + " ")) {
                    pid = l.substring(args[1].length() + 1).trim();
                }
            }
            if (pid == null) {
                throw new IllegalStateException("no pid for " + args[1]);
            }
            run(List.of("kill", "-9", pid));
            // wait until the port is free, as a crashed pod's is
            Thread.sleep(300);
            return pid;
        }
        return run(cmd);
    }

    /** Starts one service and answers when it was ready (epoch ms). */
    static long suiteStart(String name) throws IOException, InterruptedException {
        suite("start-one", name);
        return System.currentTimeMillis();
    }

    static String run(List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
        // A drill restarts services of a suite whose schemas drills.sh migrated: as a crashed
        // container restarts in Kubernetes, without its init container, so the outage is the service's.
        builder.environment().put("SUITE_MIGRATE", "off");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }

    String sql(String query) {
        try {
            Process p = new ProcessBuilder("psql", "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1", "-d", db).redirectErrorStream(true).start();
            p.getOutputStream().write(query.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("psql: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<String> column(String query) {
        String out = sql(query);
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }

    static String quoted(Collection<String> values) {
        if (values.isEmpty()) {
            return "NULL";
        }
        StringBuilder b = new StringBuilder();
        for (String v : values) {
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append('\'').append(v.replace("'", "''")).append('\'');
        }
        return b.toString();
    }

    static List<String> ids(List<Payment> payments) {
        return payments.stream().map(Payment::listingId).toList();
    }

    /** Polls every 250 ms until the condition holds or the time is up; answers when it held (epoch ms). */
    static long until(Duration max, BooleanSupplier condition) throws InterruptedException {
        return until(max, condition, 250);
    }

    static long until(Duration max, BooleanSupplier condition, long everyMs) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return System.currentTimeMillis();
            }
            Thread.sleep(everyMs);
        }
        return System.currentTimeMillis();
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    // ------------------------------------------------------------------ output

    static final class Line {
        final String drill;
        int offered;
        int acknowledged;
        int effects;
        int lost;
        int doubled;
        final List<String> failures = new ArrayList<>();
        final Map<String, String> extra = new LinkedHashMap<>();

        Line(String drill) {
            this.drill = drill;
        }

        void fail(String why) {
            failures.add(why == null ? "counts" : why);
        }

        boolean passed() {
            return failures.isEmpty();
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            b.append(drill).append(", offered=").append(offered).append(", acknowledged=").append(acknowledged)
                    .append(", effects=").append(effects).append(", lost=").append(lost).append(", doubled=").append(doubled)
                    .append(", verdict=").append(passed() ? "PASS" : "FAIL");
            extra.forEach((k, v) -> b.append(", ").append(k).append('=').append(v));
            if (!passed()) {
                b.append(", why=").append(String.join("; ", failures.stream().filter(f -> !f.equals("counts")).toList()));
            }
            return b.toString();
        }
    }

    // ------------------------------------------------------------------ JSON (just enough to read answers)

    static Map<String, Object> json(String text) {
        Object v = new JsonReader(text).value();
        if (!(v instanceof Map)) {
            throw new IllegalStateException("not a JSON object: " + (text.length() > 200 ? text.substring(0, 200) : text));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) v;
        return map;
    }

    static final class JsonReader {
        private final String s;
        private int i;

        JsonReader(String s) {
            this.s = s;
        }

        Object value() {
            ws();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                ws();
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    ws();
                    String k = string();
                    ws();
                    i++; // :
                    m.put(k, value());
                    ws();
                    if (s.charAt(i++) == '}') {
                        return m;
                    }
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                ws();
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    ws();
                    if (s.charAt(i++) == ']') {
                        return l;
                    }
                }
            }
            if (c == '"') {
                return string();
            }
            if (s.startsWith("true", i)) {
                i += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("false", i)) {
                i += 5;
                return Boolean.FALSE;
            }
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            return Double.parseDouble(s.substring(start, i));
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            i++; // opening quote
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }

    // ------------------------------------------------------------------ tokens: the ONE place that mints them

    /**
     * JWTs as scripts/mint-token.sh makes them (same issuer, claims and key: KEYS_DIR/private.pem).
     * Kept here alone so a change of the suite's token rules (issuer, audience, per-service keys)
     * is one edit.
     */
    static final class Tokens {
        private static final Map<String, String> CACHE = new ConcurrentHashMap<>();
        private static volatile PrivateKey key;

        static String user(String userId) {
            return CACHE.computeIfAbsent("user:" + userId, k -> mint(userId, "user"));
        }

        static String admin() {
            return CACHE.computeIfAbsent("admin", k -> mint(UUID.nameUUIDFromBytes("drills-admin".getBytes()).toString(), "super_admin"));
        }

        private static String mint(String sub, String group) {
            try {
                Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
                long now = System.currentTimeMillis() / 1000;
                String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
                String payload = b64.encodeToString(String.format(
                        "{\"iss\":\"%s\",\"sub\":\"%s\",\"upn\":\"%s\",\"aud\":\"%s\",\"groups\":[\"%s\"],\"iat\":%d,\"exp\":%d,\"jti\":\"%s\"}",
                        env("MP_JWT_VERIFY_ISSUER", "https://auth.payments.local"), sub, sub,
                        env("MP_JWT_VERIFY_AUDIENCES", "payments-api"), group, now, now + 3 * 3600,
                        UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
                Signature rsa = Signature.getInstance("SHA256withRSA");
                rsa.initSign(key());
                rsa.update((header + "." + payload).getBytes(StandardCharsets.UTF_8));
                return header + "." + payload + "." + b64.encodeToString(rsa.sign());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private static PrivateKey key() throws Exception {
            if (key == null) {
                String pem = Files.readString(Path.of(env("KEYS_DIR", ".run/keys"), "user-idp", "private.pem"));
                String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
            }
            return key;
        }
    }
}
