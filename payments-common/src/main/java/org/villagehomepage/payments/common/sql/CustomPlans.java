package org.villagehomepage.payments.common.sql;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.util.function.Function;

/**
 * Runs statements in a transaction that Postgres plans with their parameters at every execution.
 *
 * <p>Why: a service whose statements are keyed lets Postgres cache generic plans
 * ({@code plan_cache_mode=auto}: planning was most of a keyed statement's time, issue 14). A scan
 * whose best plan depends on its parameters (optional filters) or on the table's size (a queue, a
 * retention sweep) must not run a generic plan made while the table was small: where no ANALYZE
 * invalidates it (autovacuum off or behind), it would outlive the table's growth.
 */
public final class CustomPlans {

    /** The transaction-local setting, for a caller that sets others in the same statement. */
    public static final String SETTING = "set_config('plan_cache_mode', 'force_custom_plan', true)";

    private CustomPlans() {}

    public static <T> Uni<T> inTransaction(Pool pool, Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(connection ->
                connection.query("SELECT " + SETTING).execute().flatMap(ignored -> work.apply(connection)));
    }
}
