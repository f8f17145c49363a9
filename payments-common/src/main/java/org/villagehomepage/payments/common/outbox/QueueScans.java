package org.villagehomepage.payments.common.outbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.function.Function;
import org.villagehomepage.payments.common.sql.CustomPlans;

/**
 * Runs statements over a queue's partial index ({@code status = 'pending'}, unprocessed events, listings
 * and promotions due to expire) in a transaction that plans plain index scans without parallel
 * workers, with the statement's parameters at every execution.
 *
 * <p>Why: every message that leaves the queue leaves dead entries in that index until a vacuum. A
 * plain index scan marks them dead as it passes (later scans skip them without reading the table);
 * a bitmap scan, which the planner prefers for a table it believes small, never does, so it re-read
 * every delivered message's table page on every claim: 60 ms a claim after 18,000 messages where
 * autovacuum is off or behind (docs/benchmarks-history.md), against 2-25 ms. Parallel workers are off too:
 * without the bitmap plan, the gauges' aggregate was planned as a parallel scan whose workers cost
 * more to start than the few live rows cost to read. Custom plans always ({@link CustomPlans}).
 */
public final class QueueScans {

    private static final String PLAN = "SELECT set_config('enable_bitmapscan', 'off', true), "
            + "set_config('max_parallel_workers_per_gather', '0', true), "
            + CustomPlans.SETTING;

    private QueueScans() {}

    public static <T> Uni<T> inTransaction(Pool pool, Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(
                connection -> connection.query(PLAN).execute().flatMap(ignored -> work.apply(connection)));
    }
}
