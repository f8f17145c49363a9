package org.villagehomepage.payments.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The suite's load generator. Each command prints one line of JSON on stdout.
 *
 * <pre>
 * webhook   --url http://127.0.0.1:18082 --secret whsec_.. [--type refund.updated] [--events N] [--copies K]
 *           [--concurrency C | --rate R] [--seconds S] [--warmup W] [--prefix P] [--log-acked FILE]
 * emulator  --url http://127.0.0.1:22111 [--key sk_test_..] [--concurrency C | --rate R] [--seconds S] [--warmup W]
 * listings  --url http://127.0.0.1:18081 --key-file .run/keys/private.pem --users U --per-user L --out FILE
 *           [--category ID] [--concurrency C]
 * checkout  --url http://127.0.0.1:18081 --key-file .. --in FILE --out FILE [--skip N] [--count N]
 *           [--concurrency C | --rate R] [--seconds S] [--warmup W] [--idempotency-keys true]
 * pay       --url http://127.0.0.1:22111 --in FILE [--rate R] [--seconds S]
 * serve     [--port 18087]   stays up and runs the commands above posted to POST /run, until killed
 * </pre>
 */
public final class LoadGen {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern PI = Pattern.compile("\"paymentIntentId\"\\s*:\\s*\"([^\"]+)\"");
    private static final String HOUSING = "6c1d0a6e-0001-4000-8000-000000000001";

    private final Map<String, String> args;

    private LoadGen(Map<String, String> args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: LoadGen serve|webhook|emulator|listings|checkout|pay --option value ...");
            System.exit(2);
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)
                .setBlockedThreadCheckInterval(60_000));
        try {
            if ("serve".equals(argv[0])) {
                serve(vertx, Integer.parseInt(options(argv).getOrDefault("port", "18087")));
            } else {
                System.out.println(run(vertx, argv));
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    private static Map<String, String> options(String[] argv) {
        Map<String, String> args = new HashMap<>();
        for (int i = 1; i < argv.length; i++) {
            if (!argv[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + argv[i]);
            }
            String key = argv[i].substring(2);
            int eq = key.indexOf('=');
            if (eq >= 0) {
                args.put(key.substring(0, eq), key.substring(eq + 1));
            } else {
                args.put(key, argv[++i]);
            }
        }
        return args;
    }

    private static String run(Vertx vertx, String[] argv) throws Exception {
        LoadGen gen = new LoadGen(options(argv));
        return switch (argv[0]) {
            case "webhook" -> gen.webhook(vertx);
            case "emulator" -> gen.emulator(vertx);
            case "listings" -> gen.listings(vertx);
            case "checkout" -> gen.checkout(vertx);
            case "pay" -> gen.pay(vertx);
            default -> throw new IllegalArgumentException("unknown command " + argv[0]);
        };
    }

    /**
     * Stays up and runs each command posted to {@code POST /run} (its arguments one per line, the
     * command first), answering its JSON line (500 and the error otherwise). One JVM for a whole
     * benchmark: a fresh generator per run spent its first ~10 s compiling (C2) at more than a core
     * of its own, on a 2-core machine, in the very seconds it measured (docs/benchmarks-history.md). Each
     * run gets its own thread, client and event-loop context, as in a process of its own.
     */
    private static void serve(Vertx vertx, int port) throws Exception {
        vertx.createHttpServer()
                .requestHandler(req -> {
                    if (req.method() != HttpMethod.POST || !"/run".equals(req.path())) {
                        req.response().setStatusCode(404).end();
                        return;
                    }
                    req.body().onSuccess(body -> {
                        String[] argv = body.toString(StandardCharsets.UTF_8).lines()
                                .filter(l -> !l.isEmpty()).toArray(String[]::new);
                        Thread.ofPlatform().daemon().name("run-" + (argv.length > 0 ? argv[0] : "")).start(() -> {
                            try {
                                String out = run(vertx, argv);
                                req.response().putHeader("Content-Type", "application/json").end(out + "\n");
                            } catch (Throwable e) {
                                e.printStackTrace();
                                req.response().setStatusCode(500).end(e + "\n");
                            }
                        });
                    });
                })
                .listen(port, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().join();
        System.err.println("loadgen serving on 127.0.0.1:" + port);
        new java.util.concurrent.CountDownLatch(1).await(); // until the process is stopped
    }

    private String str(String key, String dflt) {
        String v = args.get(key);
        if (v == null && dflt == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v == null ? dflt : v;
    }

    private int num(String key, int dflt) {
        return Integer.parseInt(str(key, String.valueOf(dflt)));
    }

    private double dbl(String key, double dflt) {
        return Double.parseDouble(str(key, String.valueOf(dflt)));
    }

    private Runner runner(Vertx vertx, String url, int maxConnections) {
        URI uri = URI.create(url);
        return new Runner(vertx, uri.getHost(), uri.getPort(), maxConnections);
    }

    /** Connections: the concurrency in closed loop; enough for a stalled server in open loop. */
    private int connections() {
        return dbl("rate", 0) > 0 ? num("connections", 256) : num("concurrency", 16);
    }

    // ---------------------------------------------------------------- webhook intake

    String webhook(Vertx vertx) throws Exception {
        String secret = str("secret", null);
        String type = str("type", "refund.updated");
        int events = num("events", 100_000);
        int copies = num("copies", 1);
        String prefix = str("prefix", Long.toString(System.currentTimeMillis(), 36));
        long t = System.currentTimeMillis() / 1000;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        // Pre-signed before the clock starts: the generator only sends during the run.
        List<Buffer> bodies = new ArrayList<>(events);
        List<String> signatures = new ArrayList<>(events);
        long signStart = System.nanoTime();
        for (int i = 0; i < events; i++) {
            String body = eventJson(prefix, i, type, t);
            byte[] sig = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
            bodies.add(Buffer.buffer(body));
            signatures.add("t=" + t + ",v1=" + HexFormat.of().formatHex(sig));
        }
        double signMs = (System.nanoTime() - signStart) / 1e6;
        int total = events * copies;
        AtomicInteger next = new AtomicInteger();
        List<String> acked = java.util.Collections.synchronizedList(new ArrayList<>());
        String ackLog = args.get("log-acked");
        Supplier<Runner.Req> source = () -> {
            int n = next.getAndIncrement();
            if (n >= total) {
                return null;
            }
            int i = n / copies; // copies of one event leave back to back, so they are in flight together
            MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                    .add("Content-Type", "application/json; charset=utf-8")
                    .add("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
                    .add("Stripe-Signature", signatures.get(i));
            String id = "evt_bench" + prefix + "_" + i;
            return new Runner.Req(HttpMethod.POST, "/webhooks/stripe", headers, bodies.get(i),
                    ackLog == null ? null : (status, b) -> {
                        if (status / 100 == 2) {
                            acked.add(id);
                        }
                    });
        };
        Runner runner = runner(vertx, str("url", null), connections());
        try {
            Runner.Result r = runner.run(source, num("concurrency", 16), dbl("rate", 0), dbl("seconds", 15),
                    dbl("warmup", 0));
            if (ackLog != null) {
                write(ackLog, acked);
            }
            return r.json("webhook", "\"type\":\"" + type + "\",\"prefix\":\"" + prefix + "\",\"sent\":"
                    + Math.min(next.get(), total) + ",\"bodyBytes\":" + bodies.get(0).length() + ",\"signMs\":"
                    + Runner.Result.fmt(signMs));
        } finally {
            runner.close();
        }
    }

    /** A Stripe event as Stripe sends it (fields of Stripe's fixtures), about 1.3 KB. */
    static String eventJson(String prefix, int i, String type, long created) {
        String n = prefix + "_" + i;
        String object;
        if (type.startsWith("payment_intent.")) {
            object = "{\"id\":\"pi_bench" + n + "\",\"object\":\"payment_intent\",\"amount\":500,\"amount_capturable\":0,"
                    + "\"amount_received\":500,\"capture_method\":\"automatic\",\"client_secret\":null,"
                    + "\"confirmation_method\":\"automatic\",\"created\":" + created + ",\"currency\":\"usd\","
                    + "\"customer\":null,\"description\":null,\"latest_charge\":\"ch_bench" + n + "\",\"livemode\":false,"
                    + "\"metadata\":{\"listing_id\":\"" + UUID.nameUUIDFromBytes(n.getBytes()) + "\",\"purpose\":\"posting_fee\"},"
                    + "\"payment_method\":\"pm_card_visa\",\"payment_method_types\":[\"card\"],\"status\":\"succeeded\"}";
        } else {
            object = "{\"id\":\"re_bench" + n + "\",\"object\":\"refund\",\"amount\":500,\"balance_transaction\":null,"
                    + "\"charge\":\"ch_bench" + n + "\",\"created\":" + created + ",\"currency\":\"usd\","
                    + "\"destination_details\":{\"card\":{\"reference_status\":\"pending\",\"type\":\"refund\"},\"type\":\"card\"},"
                    + "\"metadata\":{},\"payment_intent\":\"pi_bench" + n + "\",\"reason\":\"requested_by_customer\","
                    + "\"receipt_number\":null,\"source_transfer_reversal\":null,\"status\":\"succeeded\","
                    + "\"transfer_reversal\":null}";
        }
        return "{\"id\":\"evt_bench" + n + "\",\"object\":\"event\",\"api_version\":\"2026-07-29.dahlia\","
                + "\"created\":" + created + ",\"data\":{\"object\":" + object + ",\"previous_attributes\":null},"
                + "\"livemode\":false,\"pending_webhooks\":1,"
                + "\"request\":{\"id\":\"req_bench" + n + "\",\"idempotency_key\":\"" + UUID.nameUUIDFromBytes(("k" + n).getBytes())
                + "\"},\"type\":\"" + type + "\"}";
    }

    // ---------------------------------------------------------------- emulator reference

    String emulator(Vertx vertx) {
        String key = str("key", "sk_test_local_emulator");
        AtomicInteger n = new AtomicInteger();
        String run = Long.toString(System.currentTimeMillis(), 36);
        Supplier<Runner.Req> source = () -> {
            int i = n.getAndIncrement();
            MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                    .add("Authorization", "Bearer " + key)
                    .add("Content-Type", "application/x-www-form-urlencoded")
                    .add("Idempotency-Key", "bench-" + run + "-" + i);
            String form = "amount=500&currency=usd&automatic_payment_methods%5Benabled%5D=true"
                    + "&metadata%5Blisting_id%5D=" + UUID.randomUUID() + "&metadata%5Bpurpose%5D=posting_fee"
                    + "&description=bench";
            return new Runner.Req(HttpMethod.POST, "/v1/payment_intents", headers, Buffer.buffer(form), null);
        };
        Runner runner = runner(vertx, str("url", null), connections());
        try {
            return runner.run(source, num("concurrency", 16), dbl("rate", 0), dbl("seconds", 10), dbl("warmup", 0))
                    .json("emulator_payment_intents", null);
        } finally {
            runner.close();
        }
    }

    // ---------------------------------------------------------------- checkout

    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    private String token(PrivateKey key, String user) {
        return tokens.computeIfAbsent(user, u -> mint(key, u, "user"));
    }

    static String mint(PrivateKey key, String sub, String group) {
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            long now = System.currentTimeMillis() / 1000;
            String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String payload = b64.encodeToString(String.format(
                    "{\"iss\":\"%s\",\"sub\":\"%s\",\"upn\":\"%s\",\"aud\":\"%s\",\"groups\":[\"%s\"],\"iat\":%d,\"exp\":%d,\"jti\":\"%s\"}",
                    System.getenv().getOrDefault("MP_JWT_VERIFY_ISSUER", "https://auth.payments.local"), sub, sub,
                    System.getenv().getOrDefault("MP_JWT_VERIFY_AUDIENCES", "payments-api"), group,
                    now, now + 3600, UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key);
            rsa.update((header + "." + payload).getBytes(StandardCharsets.UTF_8));
            return header + "." + payload + "." + b64.encodeToString(rsa.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private PrivateKey privateKey() throws Exception {
        String pem = Files.readString(Path.of(str("key-file", null)));
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    /** Creates users x listings in a paid category; writes "listingId userId" lines. */
    String listings(Vertx vertx) throws Exception {
        PrivateKey key = privateKey();
        int users = num("users", 100);
        int perUser = num("per-user", 10);
        String category = str("category", HOUSING);
        List<String> owners = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            String user = UUID.randomUUID().toString();
            owners.add(user);
            token(key, user);
        }
        int total = users * perUser;
        AtomicInteger next = new AtomicInteger();
        List<String> lines = new ArrayList<>(total);
        Supplier<Runner.Req> source = () -> {
            int i = next.getAndIncrement();
            if (i >= total) {
                return null;
            }
            String user = owners.get(i % users);
            MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                    .add("Authorization", "Bearer " + tokens.get(user))
                    .add("Content-Type", "application/json");
            Buffer body = Buffer.buffer("{\"categoryId\":\"" + category + "\",\"title\":\"Bench listing " + i + "\"}");
            return new Runner.Req(HttpMethod.POST, "/api/marketplace/listings", headers, body, (status, b) -> {
                if (status == 201 && b != null) {
                    Matcher m = ID.matcher(b.toString());
                    if (m.find()) {
                        lines.add(m.group(1) + " " + user);
                    }
                }
            });
        };
        Runner runner = runner(vertx, str("url", null), num("concurrency", 16));
        Runner.Result r;
        try {
            r = runner.run(source, num("concurrency", 16), 0, dbl("seconds", 600), 0);
        } finally {
            runner.close();
        }
        write(str("out", null), lines);
        return r.json("create_listing", "\"listings\":" + lines.size());
    }

    /** One checkout per listing of the input (from --skip, at most --count); writes "listingId userId pi". */
    String checkout(Vertx vertx) throws Exception {
        PrivateKey key = privateKey();
        List<String[]> input = Files.readAllLines(Path.of(str("in", null))).stream()
                .filter(l -> !l.isBlank()).map(l -> l.trim().split(" ")).toList();
        int skip = num("skip", 0);
        int count = Math.min(num("count", input.size()), Math.max(0, input.size() - skip));
        List<String[]> mine = input.subList(skip, skip + count);
        mine.forEach(l -> token(key, l[1]));
        // A browser's checkout button with a client Idempotency-Key per click (one per listing here).
        boolean keyed = Boolean.parseBoolean(str("idempotency-keys", "false"));
        AtomicInteger next = new AtomicInteger();
        List<String> lines = new ArrayList<>(count);
        Supplier<Runner.Req> source = () -> {
            int i = next.getAndIncrement();
            if (i >= mine.size()) {
                return null;
            }
            String[] l = mine.get(i);
            MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                    .add("Authorization", "Bearer " + tokens.get(l[1]))
                    .add("Content-Type", "application/json");
            if (keyed) {
                headers.add("Idempotency-Key", "click-" + l[0]);
            }
            return new Runner.Req(HttpMethod.POST, "/api/marketplace/listings/" + l[0] + "/checkout", headers,
                    Buffer.buffer("{}"), (status, b) -> {
                        if (status / 100 == 2 && b != null) {
                            Matcher m = PI.matcher(b.toString());
                            if (m.find()) {
                                lines.add(l[0] + " " + l[1] + " " + m.group(1));
                            }
                        }
                    });
        };
        Runner runner = runner(vertx, str("url", null), connections());
        Runner.Result r;
        try {
            r = runner.run(source, num("concurrency", 16), dbl("rate", 0), dbl("seconds", 600), dbl("warmup", 0));
        } finally {
            runner.close();
        }
        if (args.containsKey("out")) {
            append(str("out", null), lines);
        }
        return r.json("checkout", "\"used\":" + Math.min(next.get(), mine.size()) + ",\"intents\":" + lines.size());
    }

    /** Pays intents of the input ("... pi" lines) through the emulator's test helper at a fixed rate. */
    String pay(Vertx vertx) throws Exception {
        List<String> pis = Files.readAllLines(Path.of(str("in", null))).stream().filter(l -> !l.isBlank())
                .map(l -> l.trim().split(" ")).map(a -> a[a.length - 1]).toList();
        AtomicInteger next = new AtomicInteger();
        Supplier<Runner.Req> source = () -> {
            int i = next.getAndIncrement();
            if (i >= pis.size()) {
                return null;
            }
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
            return new Runner.Req(HttpMethod.POST, "/_emulator/payment_intents/" + pis.get(i) + "/pay", headers,
                    Buffer.buffer("{\"card\":\"success\"}"), null);
        };
        Runner runner = runner(vertx, str("url", null), connections());
        try {
            return runner.run(source, num("concurrency", 16), dbl("rate", 300), dbl("seconds", 60), 0)
                    .json("pay", "\"available\":" + pis.size());
        } finally {
            runner.close();
        }
    }

    private static void write(String file, List<String> lines) throws IOException {
        Files.write(Path.of(file), lines);
    }

    private static void append(String file, List<String> lines) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(file), StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND))) {
            lines.forEach(w::println);
        }
    }
}
