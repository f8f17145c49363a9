package org.villagehomepage.payments.bench;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Drives requests against one host:port, either closed loop (fixed concurrency, next request when
 * the previous answered) or open loop (fixed rate, latency measured from the intended send time so
 * a stalled server is not hidden: no coordinated omission). Everything runs on one Vert.x event
 * loop, so the generator costs one core at most.
 */
final class Runner {

    /** One request; {@code onResponse} sees the status and body (may be null). */
    record Req(HttpMethod method, String path, MultiMap headers, Buffer body, BiConsumer<Integer, Buffer> onResponse) {
    }

    record Result(String mode, int concurrency, double rate, double seconds, long ok, long errors,
            Map<Integer, Long> statuses, Map<String, Long> failures, Histogram histogram, long[] slowestPerSecond) {

        double throughput() {
            return seconds <= 0 ? 0 : ok / seconds;
        }

        String json(String name, String extra) {
            StringBuilder s = new StringBuilder("{");
            s.append("\"bench\":\"").append(name).append('"');
            s.append(",\"mode\":\"").append(mode).append('"');
            s.append(",\"concurrency\":").append(concurrency);
            s.append(",\"rate\":").append(fmt(rate));
            s.append(",\"seconds\":").append(fmt(seconds));
            s.append(",\"ok\":").append(ok);
            s.append(",\"errors\":").append(errors);
            s.append(",\"throughput\":").append(fmt(throughput()));
            s.append(",\"p50Ms\":").append(ms(histogram.getValueAtPercentile(50)));
            s.append(",\"p90Ms\":").append(ms(histogram.getValueAtPercentile(90)));
            s.append(",\"p99Ms\":").append(ms(histogram.getValueAtPercentile(99)));
            s.append(",\"p999Ms\":").append(ms(histogram.getValueAtPercentile(99.9)));
            s.append(",\"maxMs\":").append(ms(histogram.getMaxValue()));
            s.append(",\"statuses\":{");
            String sep = "";
            for (var e : statuses.entrySet()) {
                s.append(sep).append('"').append(e.getKey()).append("\":").append(e.getValue());
                sep = ",";
            }
            s.append("},\"failures\":{");
            sep = "";
            for (var e : failures.entrySet()) {
                s.append(sep).append('"').append(e.getKey().replace('"', '\'')).append("\":").append(e.getValue());
                sep = ",";
            }
            s.append('}');
            if (slowestPerSecond != null) {
                // open loop: the slowest answer of the requests due in each second (by intended send
                // time), so a stall shows where it happened and how long it lasted
                s.append(",\"slowestPerSecondMs\":[");
                for (int i = 0; i < slowestPerSecond.length; i++) {
                    s.append(i == 0 ? "" : ",").append(ms(slowestPerSecond[i]));
                }
                s.append(']');
            }
            if (extra != null && !extra.isEmpty()) {
                s.append(',').append(extra);
            }
            return s.append('}').toString();
        }

        static String ms(long micros) {
            return fmt(micros / 1000.0);
        }

        static String fmt(double v) {
            return String.format(java.util.Locale.ROOT, "%.3f", v);
        }
    }

    private final Vertx vertx;
    private final HttpClient client;
    private final Context context;

    Runner(Vertx vertx, String host, int port, int maxConnections) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        HttpClientOptions options = new HttpClientOptions().setDefaultHost(host).setDefaultPort(port)
                .setKeepAlive(true).setTcpNoDelay(true).setConnectTimeout(5000).setIdleTimeout(60);
        CompletableFuture<HttpClient> created = new CompletableFuture<>();
        context.runOnContext(v -> created.complete(vertx.createHttpClient(options,
                new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(-1))));
        this.client = created.join();
    }

    void close() {
        client.close().toCompletionStage().toCompletableFuture().join();
    }

    /**
     * Runs until {@code seconds} elapse or {@code source} returns null. {@code rate} <= 0: closed
     * loop with {@code concurrency} requests outstanding; else open loop at {@code rate} per second.
     * Not recorded: in closed loop the requests that complete within the first {@code warmupSeconds},
     * in open loop those due in them (the generator's own JVM warms up there too).
     */
    Result run(Supplier<Req> source, int concurrency, double rate, double seconds, double warmupSeconds) {
        State st = new State(source, concurrency, rate, seconds, warmupSeconds);
        CompletableFuture<Void> done = new CompletableFuture<>();
        st.done = done;
        context.runOnContext(v -> st.start());
        try {
            done.get((long) (seconds + 120), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("run did not finish", e);
        }
        long end = st.exhaustedAt > 0 ? st.lastDone : Math.max(st.stopAt, st.lastDone);
        double measured = (end - st.measureFrom) / 1e9;
        return new Result(rate > 0 ? "open" : "closed", concurrency, rate, Math.max(measured, 0), st.ok, st.errors,
                st.statuses, st.failures, st.histogram, rate > 0 ? st.slowest : null);
    }

    private final class State {
        final Supplier<Req> source;
        final int concurrency;
        final double rate;
        final long start;
        final long stopAt;
        final long measureFrom;
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
        final Map<Integer, Long> statuses = new TreeMap<>();
        final Map<String, Long> failures = new TreeMap<>();
        final long[] slowest;
        long ok;
        long errors;
        long issued;
        int outstanding;
        boolean stopped;
        long exhaustedAt;
        long lastIssue;
        long lastDone;
        long timerId = -1;
        CompletableFuture<Void> done;

        State(Supplier<Req> source, int concurrency, double rate, double seconds, double warmupSeconds) {
            this.source = source;
            this.concurrency = concurrency;
            this.rate = rate;
            this.start = System.nanoTime();
            this.stopAt = start + (long) (seconds * 1e9);
            this.measureFrom = start + (long) (warmupSeconds * 1e9);
            this.slowest = new long[(int) Math.ceil(seconds) + 1];
        }

        void start() {
            if (rate > 0) {
                timerId = vertx.setPeriodic(1, id -> openTick());
            } else {
                for (int i = 0; i < concurrency; i++) {
                    next();
                }
            }
            checkDone();
        }

        void openTick() {
            long now = System.nanoTime();
            if (now >= stopAt || stopped) {
                vertx.cancelTimer(timerId);
                stopped = true;
                checkDone();
                return;
            }
            long due = (long) ((now - start) / 1e9 * rate);
            while (issued < due && !stopped) {
                long intended = start + (long) (issued * 1e9 / rate);
                if (!send(intended)) {
                    stopped = true;
                }
            }
        }

        void next() {
            if (stopped || System.nanoTime() >= stopAt) {
                stopped = true;
                return;
            }
            if (!send(System.nanoTime())) {
                stopped = true;
            }
        }

        /** False when the source is exhausted. */
        boolean send(long from) {
            Req req = source.get();
            if (req == null) {
                if (exhaustedAt == 0) {
                    exhaustedAt = System.nanoTime();
                }
                return false;
            }
            issued++;
            outstanding++;
            lastIssue = System.nanoTime();
            RequestOptions options = new RequestOptions().setMethod(req.method()).setURI(req.path());
            if (req.headers() != null) {
                options.setHeaders(req.headers());
            }
            client.request(options)
                    .compose(r -> req.body() == null ? r.send() : r.send(req.body()))
                    .compose(resp -> resp.body().map(b -> {
                        int status = resp.statusCode();
                        if (req.onResponse() != null) {
                            req.onResponse().accept(status, b);
                        }
                        return status;
                    }))
                    .onComplete(ar -> {
                        long end = System.nanoTime();
                        outstanding--;
                        lastDone = end;
                        int second = (int) Math.min(slowest.length - 1, Math.max(0, (from - start) / 1_000_000_000L));
                        slowest[second] = Math.max(slowest[second], Math.max(0, (end - from) / 1000));
                        // open loop: a request due in the warm-up is not measured however late it ends
                        if (rate > 0 ? from >= measureFrom : end >= measureFrom) {
                            if (ar.succeeded()) {
                                int status = ar.result();
                                statuses.merge(status, 1L, Long::sum);
                                if (status / 100 == 2) {
                                    ok++;
                                    histogram.recordValue(Math.max(0, (end - from) / 1000));
                                } else {
                                    errors++;
                                }
                            } else {
                                errors++;
                                String kind = ar.cause().getClass().getSimpleName();
                                failures.merge(kind, 1L, Long::sum);
                            }
                        }
                        if (rate <= 0) {
                            next();
                        }
                        checkDone();
                    });
            return true;
        }

        void checkDone() {
            if (stopped && outstanding == 0 && !done.isDone()) {
                if (timerId >= 0) {
                    vertx.cancelTimer(timerId);
                }
                done.complete(null);
            }
        }
    }
}
