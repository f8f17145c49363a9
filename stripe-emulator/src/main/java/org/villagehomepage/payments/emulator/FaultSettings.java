package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Fault injection rules, mutable at run time and thread safe. Every change re-seeds the random
 * sources, so the same settings followed by the same requests give the same faults.
 *
 * <p>Endpoint rules are keyed by a pattern: {@code "POST /v1/refunds"}, {@code "GET /v1/payment_intents/*"},
 * {@code "POST /v1/payment_intents/{id}/confirm"}, a bare path (any method) or {@code "*"}. An exact match wins,
 * otherwise the longest matching pattern.
 */
public final class FaultSettings {

    /** Faults for API requests. Rates are probabilities in [0,1]; error, 429, timeout and lost response exclude each other. */
    public record EndpointFault(
            long latencyMs,
            double errorRate,
            double rateLimitRate,
            double timeoutRate,
            long timeoutMs,
            double lostResponseRate) {
        public static final long DEFAULT_TIMEOUT_MS = 30_000;

        public EndpointFault {
            checkRate("errorRate", errorRate);
            checkRate("rateLimitRate", rateLimitRate);
            checkRate("timeoutRate", timeoutRate);
            checkRate("lostResponseRate", lostResponseRate);
            if (errorRate + rateLimitRate + timeoutRate + lostResponseRate > 1.0 + 1e-9) {
                throw new IllegalArgumentException("fault rates of one endpoint must add up to at most 1");
            }
            if (latencyMs < 0 || timeoutMs < 0) {
                throw new IllegalArgumentException("latencyMs and timeoutMs must be >= 0");
            }
        }

        public static EndpointFault none() {
            return new EndpointFault(0, 0, 0, 0, DEFAULT_TIMEOUT_MS, 0);
        }

        public EndpointFault withLatencyMs(long v) {
            return new EndpointFault(v, errorRate, rateLimitRate, timeoutRate, timeoutMs, lostResponseRate);
        }

        public EndpointFault withErrorRate(double v) {
            return new EndpointFault(latencyMs, v, rateLimitRate, timeoutRate, timeoutMs, lostResponseRate);
        }

        public EndpointFault withRateLimitRate(double v) {
            return new EndpointFault(latencyMs, errorRate, v, timeoutRate, timeoutMs, lostResponseRate);
        }

        public EndpointFault withTimeoutRate(double v) {
            return new EndpointFault(latencyMs, errorRate, rateLimitRate, v, timeoutMs, lostResponseRate);
        }

        public EndpointFault withTimeoutMs(long v) {
            return new EndpointFault(latencyMs, errorRate, rateLimitRate, timeoutRate, v, lostResponseRate);
        }

        public EndpointFault withLostResponseRate(double v) {
            return new EndpointFault(latencyMs, errorRate, rateLimitRate, timeoutRate, timeoutMs, v);
        }
    }

    /**
     * Faults for webhook deliveries. {@code duplicateCopies} is the total number of times a duplicated
     * delivery is sent (>= 2 to have an effect).
     */
    public record DeliveryFaults(double duplicateRate, int duplicateCopies, boolean shuffle, double dropRate) {
        public DeliveryFaults {
            checkRate("duplicateRate", duplicateRate);
            checkRate("dropRate", dropRate);
            if (duplicateCopies < 1) {
                throw new IllegalArgumentException("duplicateCopies must be >= 1");
            }
        }

        public static DeliveryFaults none() {
            return new DeliveryFaults(0, 2, false, 0);
        }

        public DeliveryFaults withDuplicates(double rate, int copies) {
            return new DeliveryFaults(rate, copies, shuffle, dropRate);
        }

        public DeliveryFaults withShuffle(boolean v) {
            return new DeliveryFaults(duplicateRate, duplicateCopies, v, dropRate);
        }

        public DeliveryFaults withDropRate(double v) {
            return new DeliveryFaults(duplicateRate, duplicateCopies, shuffle, v);
        }
    }

    /** What happens to one API request. */
    enum Outcome {
        NONE,
        ERROR,
        RATE_LIMIT,
        TIMEOUT,
        LOST_RESPONSE
    }

    record Decision(Outcome outcome, long latencyMs, long timeoutMs) {
        static final Decision NONE = new Decision(Outcome.NONE, 0, 0);
    }

    /** What happens to one (event, endpoint) delivery. */
    record DeliveryPlan(boolean dropped, int copies) {}

    private static final Pattern TEMPLATE_SEGMENT = Pattern.compile("\\{[^/}]+}|:[A-Za-z_]+");

    private final long defaultSeed;
    private long seed;
    private Map<String, EndpointFault> endpoints = new LinkedHashMap<>();
    private DeliveryFaults deliveries = DeliveryFaults.none();
    private Random requestRandom;
    private Random deliveryRandom;

    FaultSettings(long defaultSeed) {
        this.defaultSeed = defaultSeed;
        this.seed = defaultSeed;
        reseed();
    }

    private static void checkRate(String name, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be within [0,1]: " + rate);
        }
    }

    private void reseed() {
        requestRandom = new Random(seed);
        // a separate stream, so webhook traffic does not shift which requests fail
        deliveryRandom = new Random(seed * 31 + 17);
    }

    public synchronized FaultSettings endpoint(String pattern, EndpointFault fault) {
        Map<String, EndpointFault> copy = new LinkedHashMap<>(endpoints);
        copy.put(normalise(pattern), fault);
        endpoints = copy;
        reseed();
        return this;
    }

    public synchronized FaultSettings removeEndpoint(String pattern) {
        Map<String, EndpointFault> copy = new LinkedHashMap<>(endpoints);
        copy.remove(normalise(pattern));
        endpoints = copy;
        reseed();
        return this;
    }

    public synchronized FaultSettings deliveries(DeliveryFaults faults) {
        this.deliveries = faults;
        reseed();
        return this;
    }

    /** Sets the seed and re-seeds. */
    public synchronized FaultSettings seed(long seed) {
        this.seed = seed;
        reseed();
        return this;
    }

    public synchronized long seed() {
        return seed;
    }

    public synchronized Map<String, EndpointFault> endpoints() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    }

    public synchronized DeliveryFaults deliveries() {
        return deliveries;
    }

    /** No faults at all; the seed goes back to the emulator's seed. */
    public synchronized void clear() {
        endpoints = new LinkedHashMap<>();
        deliveries = DeliveryFaults.none();
        seed = defaultSeed;
        reseed();
    }

    /**
     * Replaces all settings with the JSON shape
     * {@code {"seed":7,"endpoints":{"POST /v1/refunds":{"errorRate":0.2}},"deliveries":{"dropRate":0.1}}}.
     * A missing seed means the emulator's seed.
     */
    public void applyJson(String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json == null || json.isBlank() ? "{}" : json);
        } catch (Exception e) {
            throw new IllegalArgumentException("faults must be a JSON object: " + e.getMessage(), e);
        }
        apply(root);
    }

    synchronized void apply(JsonNode root) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("faults must be a JSON object");
        }
        Map<String, EndpointFault> parsed = new LinkedHashMap<>();
        JsonNode eps = root.path("endpoints");
        if (!eps.isMissingNode() && !eps.isNull()) {
            if (!eps.isObject()) {
                throw new IllegalArgumentException("faults.endpoints must be an object");
            }
            eps.fields().forEachRemaining(e -> parsed.put(normalise(e.getKey()), parseEndpoint(e.getValue())));
        }
        DeliveryFaults d = DeliveryFaults.none();
        JsonNode dn = root.path("deliveries");
        if (dn.isObject()) {
            d = new DeliveryFaults(
                    dn.path("duplicateRate").asDouble(0),
                    dn.path("duplicateCopies").asInt(2),
                    dn.path("shuffle").asBoolean(false),
                    dn.path("dropRate").asDouble(0));
        }
        this.endpoints = parsed;
        this.deliveries = d;
        this.seed = root.hasNonNull("seed") ? root.get("seed").asLong() : defaultSeed;
        reseed();
    }

    private static EndpointFault parseEndpoint(JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("an endpoint fault must be an object");
        }
        return new EndpointFault(
                n.path("latencyMs").asLong(0),
                n.path("errorRate").asDouble(0),
                n.path("rateLimitRate").asDouble(0),
                n.path("timeoutRate").asDouble(0),
                n.path("timeoutMs").asLong(EndpointFault.DEFAULT_TIMEOUT_MS),
                n.path("lostResponseRate").asDouble(0));
    }

    public synchronized String toJson() {
        return Json.write(toNode());
    }

    synchronized ObjectNode toNode() {
        ObjectNode root = Json.object();
        root.put("seed", seed);
        ObjectNode eps = root.putObject("endpoints");
        endpoints.forEach((k, f) -> {
            ObjectNode n = eps.putObject(k);
            n.put("latencyMs", f.latencyMs());
            n.put("errorRate", f.errorRate());
            n.put("rateLimitRate", f.rateLimitRate());
            n.put("timeoutRate", f.timeoutRate());
            n.put("timeoutMs", f.timeoutMs());
            n.put("lostResponseRate", f.lostResponseRate());
        });
        ObjectNode d = root.putObject("deliveries");
        d.put("duplicateRate", deliveries.duplicateRate());
        d.put("duplicateCopies", deliveries.duplicateCopies());
        d.put("shuffle", deliveries.shuffle());
        d.put("dropRate", deliveries.dropRate());
        return root;
    }

    /** One random draw per request whatever the rule, so a run is reproducible request by request. */
    synchronized Decision decide(String method, String path) {
        EndpointFault rule = ruleFor(method, path);
        if (rule == null) {
            return Decision.NONE;
        }
        double r = requestRandom.nextDouble();
        Outcome outcome;
        double edge = rule.errorRate();
        if (r < edge) {
            outcome = Outcome.ERROR;
        } else if (r < (edge += rule.rateLimitRate())) {
            outcome = Outcome.RATE_LIMIT;
        } else if (r < (edge += rule.timeoutRate())) {
            outcome = Outcome.TIMEOUT;
        } else if (r < edge + rule.lostResponseRate()) {
            outcome = Outcome.LOST_RESPONSE;
        } else {
            outcome = Outcome.NONE;
        }
        return new Decision(outcome, rule.latencyMs(), rule.timeoutMs());
    }

    synchronized DeliveryPlan planDelivery() {
        DeliveryFaults d = deliveries;
        if (d.dropRate() > 0 && deliveryRandom.nextDouble() < d.dropRate()) {
            return new DeliveryPlan(true, 0);
        }
        if (d.duplicateRate() > 0 && deliveryRandom.nextDouble() < d.duplicateRate()) {
            return new DeliveryPlan(false, Math.max(1, d.duplicateCopies()));
        }
        return new DeliveryPlan(false, 1);
    }

    synchronized <T> void shuffle(List<T> items) {
        Collections.shuffle(items, deliveryRandom);
    }

    synchronized boolean shuffleOn() {
        return deliveries.shuffle();
    }

    private EndpointFault ruleFor(String method, String path) {
        if (endpoints.isEmpty()) {
            return null;
        }
        String request = method + " " + path;
        EndpointFault exact = endpoints.get(request);
        if (exact != null) {
            return exact;
        }
        String best = null;
        for (String pattern : endpoints.keySet()) {
            if (matches(pattern, method, path) && (best == null || pattern.length() > best.length())) {
                best = pattern;
            }
        }
        return best == null ? null : endpoints.get(best);
    }

    private static boolean matches(String pattern, String method, String path) {
        if (pattern.equals("*")) {
            return true;
        }
        String target = pattern.startsWith("/") ? path : method + " " + path;
        return toRegex(pattern).matcher(target).matches();
    }

    private static Pattern toRegex(String pattern) {
        StringBuilder re = new StringBuilder();
        List<String> parts = new ArrayList<>();
        // "{id}" or ":id" stands for one path segment, "*" for anything
        String withSegments = TEMPLATE_SEGMENT.matcher(pattern).replaceAll("\u0001");
        StringBuilder literal = new StringBuilder();
        for (char c : withSegments.toCharArray()) {
            if (c == '*' || c == '\u0001') {
                parts.add(literal.toString());
                literal.setLength(0);
                parts.add(c == '*' ? ".*" : "[^/]+");
            } else {
                literal.append(c);
            }
        }
        parts.add(literal.toString());
        for (String p : parts) {
            re.append(p.equals(".*") || p.equals("[^/]+") ? p : Pattern.quote(p));
        }
        return Pattern.compile(re.toString());
    }

    private static String normalise(String pattern) {
        String p = pattern.trim().replaceAll("\\s+", " ");
        int space = p.indexOf(' ');
        return space > 0 ? p.substring(0, space).toUpperCase() + p.substring(space) : p;
    }
}
