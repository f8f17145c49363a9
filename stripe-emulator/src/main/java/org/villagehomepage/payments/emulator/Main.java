package org.villagehomepage.payments.emulator;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Runs the emulator as a process. Settings come from the environment, or from
 * {@code --port=N --seed=N --webhook-endpoints=... --faults=JSON --host=H} arguments, which win.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws InterruptedException {
        configureLogging();
        EmulatorConfig config = fromSettings(settings(System.getenv(), args));
        StripeEmulator emulator = StripeEmulator.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            emulator.close();
                            stopped.countDown();
                        },
                        "stripe-emulator-shutdown"));
        stopped.await();
    }

    static Map<String, String> settings(Map<String, String> env, String[] args) {
        Map<String, String> s = new HashMap<>();
        for (String name : List.of(
                "EMULATOR_PORT",
                "EMULATOR_SEED",
                "EMULATOR_WEBHOOK_ENDPOINTS",
                "EMULATOR_FAULTS",
                "EMULATOR_HOST",
                "EMULATOR_RETAIN_MB",
                "EMULATOR_DELIVERY_CONCURRENCY",
                "EMULATOR_DELIVERY_LOG",
                "EMULATOR_ACCESS_LOG")) {
            if (env.get(name) != null && !env.get(name).isBlank()) {
                s.put(name, env.get(name));
            }
        }
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value arguments, got: " + arg);
            }
            String name = arg.substring(2, arg.indexOf('='));
            String value = arg.substring(arg.indexOf('=') + 1);
            s.put("EMULATOR_" + name.toUpperCase().replace('-', '_'), value);
        }
        return s;
    }

    static EmulatorConfig fromSettings(Map<String, String> s) {
        EmulatorConfig.Builder b = EmulatorConfig.builder()
                .port(Integer.parseInt(
                        s.getOrDefault("EMULATOR_PORT", String.valueOf(EmulatorConfig.DEFAULT_MAIN_PORT))))
                .seed(Long.parseLong(s.getOrDefault("EMULATOR_SEED", "42")));
        if (s.containsKey("EMULATOR_RETAIN_MB")) {
            b.retainBytes(Long.parseLong(s.get("EMULATOR_RETAIN_MB")) * 1024 * 1024);
        }
        // as a process it serves a whole suite: 8 deliveries in flight per endpoint keeps up with 1,000 events/s
        b.deliveryConcurrency(Integer.parseInt(s.getOrDefault("EMULATOR_DELIVERY_CONCURRENCY", "8")));
        b.accessLog(!"false".equalsIgnoreCase(s.get("EMULATOR_ACCESS_LOG")));
        if (s.containsKey("EMULATOR_DELIVERY_LOG")) {
            b.deliveryLogLimit(Integer.parseInt(s.get("EMULATOR_DELIVERY_LOG")));
        }
        if (s.containsKey("EMULATOR_HOST")) {
            b.host(s.get("EMULATOR_HOST"));
        }
        String endpoints = s.get("EMULATOR_WEBHOOK_ENDPOINTS");
        if (endpoints != null) {
            // url|whsec_a[;whsec_b][|event.a;event.b], comma separated
            for (String entry : endpoints.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                String[] parts = entry.trim().split("\\|");
                if (parts.length < 2) {
                    throw new IllegalArgumentException("EMULATOR_WEBHOOK_ENDPOINTS entries look like url|whsec_secret");
                }
                List<String> secrets = Arrays.asList(parts[1].split(";"));
                List<String> events = parts.length > 2 ? Arrays.asList(parts[2].split(";")) : List.of("*");
                b.webhookEndpoint(parts[0], secrets, events);
            }
        }
        if (s.containsKey("EMULATOR_FAULTS")) {
            new FaultSettings(0).applyJson(s.get("EMULATOR_FAULTS"));
            b.faultsJson(s.get("EMULATOR_FAULTS"));
        }
        return b.build();
    }

    /** One plain line per record on stdout, as a container log expects. */
    private static void configureLogging() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler) {
                root.removeHandler(h);
            }
        }
        StreamHandler out =
                new StreamHandler(System.out, new Formatter() {
                    @Override
                    public String format(LogRecord r) {
                        String msg = formatMessage(r);
                        String thrown = r.getThrown() == null ? "" : " " + r.getThrown();
                        return Instant.ofEpochMilli(r.getMillis()) + " " + r.getLevel() + " " + msg + thrown
                                + System.lineSeparator();
                    }
                }) {
                    @Override
                    public synchronized void publish(LogRecord record) {
                        super.publish(record);
                        flush();
                    }
                };
        out.setLevel(Level.INFO);
        root.addHandler(out);
    }
}
