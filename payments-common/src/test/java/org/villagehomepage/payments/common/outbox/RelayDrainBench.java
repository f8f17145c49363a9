package org.villagehomepage.payments.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.TestReceiver;
import org.villagehomepage.payments.common.testing.JwtKeysResource;

/**
 * Relay throughput, measured rather than tested (not a *Test: run it on purpose with
 * {@code -Dtest=RelayDrainBench -Dbench.messages=N -Dbench.rounds=R}): N outbox rows against a
 * receiver that does nothing, drained by the relay's own cycle (claim again while a batch comes
 * back full), and the database commits that took (pg_stat_database, read after the stats flush).
 * It asserts only effects: every row delivered once, and marked delivered.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
class RelayDrainBench {

    @Inject
    OutboxRelay relay;

    @Inject
    OutboxSettings settings;

    @Inject
    Pool pool;

    @Inject
    TestReceiver receiver;

    @Test
    void drain() throws Exception {
        int n = Integer.getInteger("bench.messages", 3000);
        int rounds = Integer.getInteger("bench.rounds", 3);
        List<String> lines = new ArrayList<>();
        lines.add("relay drain: " + n + " messages, trivial receiver, batch "
                + settings.relay().batchSize() + ", load " + load());
        for (int round = 1; round <= rounds; round++) {
            pool.query("TRUNCATE outbox_message, processed_message")
                    .execute()
                    .await()
                    .indefinitely();
            receiver.reset();
            pool.preparedQuery("""
                    INSERT INTO outbox_message (id, destination, path, payload)
                    SELECT gen_random_uuid(), 'test', '/internal/test-receiver/noop', '{}' FROM generate_series(1, $1)""").execute(Tuple.of(n)).await().indefinitely();
            statsFlush();
            long commitsBefore = commits();
            AtomicInteger cycles = new AtomicInteger();
            long start = System.nanoTime();
            while (relay.relayDue().await().indefinitely() > 0) {
                cycles.incrementAndGet();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            statsFlush();
            long commits = commits() - commitsBefore - 1; // less the commits() read itself
            assertThat(count("SELECT count(*) FROM outbox_message WHERE status = 'delivered'"))
                    .isEqualTo(n);
            assertThat(receiver.deliveries).hasSize(n);
            assertThat(receiver.deliveries.values()).allMatch(c -> c.get() == 1);
            lines.add(String.format(
                    "  round %d: %.2f s, %.0f msg/s, %d claim cycles, %d commits (%.3f per message), load %s",
                    round, seconds, n / seconds, cycles.get() + 1, commits, (double) commits / n, load()));
        }
        report(lines);
    }

    /** Backends flush their statistics when idle for 10 s at the latest (PG 15). */
    private static void statsFlush() throws InterruptedException {
        Thread.sleep(11_000);
    }

    private long commits() {
        return count("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
    }

    private long count(String sql) {
        return pool.query(sql)
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "?";
        }
    }

    static void report(List<String> lines) throws Exception {
        lines.forEach(System.out::println);
        Path out = Path.of("target", "relay-bench.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, lines, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    static long percentile(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    static List<Long> sorted(List<Long> values) {
        List<Long> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }
}
