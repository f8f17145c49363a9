package org.villagehomepage.payments.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.TestReceiver;
import org.villagehomepage.payments.common.testing.JwtKeysResource;

/**
 * How long a message written alone waits before the relay sends it, measured rather than tested
 * (run it on purpose: {@code -Dtest=RelayWakeBench -Dbench.wakes=N}). The relay runs on its own
 * with its production interval; rows are inserted one at a time at random gaps, and the wait is
 * from just before the INSERT to the message's arrival at a receiver that does nothing. It asserts
 * only effects (every row delivered once).
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@TestProfile(RelayWakeBench.RelayOnDefaults.class)
class RelayWakeBench {

    /** The relay on its own timer, every relay setting at its production default. */
    public static class RelayOnDefaults implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>();
            config.put("outbox.relay.enabled", "true");
            return config;
        }
    }

    @Inject
    OutboxSettings settings;

    @Inject
    Pool pool;

    @Inject
    TestReceiver receiver;

    @Test
    void insertToArrival() throws Exception {
        int n = Integer.getInteger("bench.wakes", 300);
        pool.query("TRUNCATE outbox_message, processed_message")
                .execute()
                .await()
                .indefinitely();
        receiver.reset();
        String loadBefore = RelayDrainBench.load();
        Map<String, Long> insertedNanos = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Thread.sleep(ThreadLocalRandom.current().nextLong(20, 80));
            UUID id = UUID.randomUUID();
            long before = System.nanoTime();
            pool.preparedQuery(
                            "INSERT INTO outbox_message (id, destination, path, payload) VALUES ($1, 'test', '/internal/test-receiver/noop', '{}')")
                    .execute(Tuple.of(id))
                    .await()
                    .indefinitely();
            insertedNanos.put(id.toString(), before);
        }
        for (int i = 0; i < 600 && receiver.arrivedNanos.size() < n; i++) {
            Thread.sleep(50);
        }
        assertThat(receiver.arrivedNanos).hasSize(n);
        assertThat(receiver.deliveries.values()).allMatch(c -> c.get() == 1);
        List<Long> waits = new ArrayList<>();
        insertedNanos.forEach((id, before) -> waits.add((receiver.arrivedNanos.get(id) - before) / 1_000));
        List<Long> sorted = RelayDrainBench.sorted(waits);
        RelayDrainBench.report(List.of(String.format(
                "relay wake: %d single inserts 20-80 ms apart, interval %s: insert -> arrival p50 %.1f ms, p90 %.1f ms,"
                        + " p99 %.1f ms, max %.1f ms; load %s -> %s",
                n,
                settings.relay().interval(),
                RelayDrainBench.percentile(sorted, 0.50) / 1000.0,
                RelayDrainBench.percentile(sorted, 0.90) / 1000.0,
                RelayDrainBench.percentile(sorted, 0.99) / 1000.0,
                sorted.get(sorted.size() - 1) / 1000.0,
                loadBefore,
                RelayDrainBench.load())));
    }
}
