package org.villagehomepage.payments.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Map;
import java.util.function.Function;

/**
 * Postgres' own count of the plans it made for the prepared statements whose text matches a LIKE
 * pattern, read from pg_prepared_statements. That view is per connection: a count is read on the
 * connection that ran the statements ({@link #onOneConnection}), or the test runs with
 * {@link SingleConnection} so every statement it causes is on the connection that reads it.
 */
public final class PreparedPlans {

    /** More than the five custom plans Postgres makes before it weighs a generic one. */
    public static final int EXECUTIONS = 8;

    private static final String COUNT = "SELECT current_setting('plan_cache_mode') AS mode,"
            + " coalesce(sum(generic_plans), 0) AS generic, coalesce(sum(custom_plans), 0) AS custom"
            + " FROM pg_prepared_statements WHERE statement LIKE $1";

    /** The plans made, with the connection's plan_cache_mode. */
    public record Count(String mode, long generic, long custom) {}

    private PreparedPlans() {}

    public static Count matching(Pool pool, String pattern) {
        return count(pool, pattern).await().indefinitely();
    }

    /** Runs the statement {@link #EXECUTIONS} times on one connection and counts its plans there. */
    public static Count onOneConnection(Pool pool, String pattern, Function<SqlConnection, Uni<?>> execution) {
        return pool.withConnection(connection -> Multi.createFrom()
                        .range(0, EXECUTIONS)
                        .onItem()
                        .transformToUniAndConcatenate(i -> execution.apply(connection))
                        .collect()
                        .last()
                        .chain(() -> count(connection, pattern)))
                .await()
                .indefinitely();
    }

    /** Each statement was planned with its parameters at every one of at least {@link #EXECUTIONS} runs. */
    public static void assertPlannedEveryTime(Pool pool, String... patterns) {
        for (String pattern : patterns) {
            Count plans = matching(pool, pattern);
            assertThat(plans.custom()).as(pattern).isGreaterThanOrEqualTo(EXECUTIONS);
            assertThat(plans.generic()).as(pattern).isZero();
        }
    }

    private static Uni<Count> count(SqlClient client, String pattern) {
        return client.preparedQuery(COUNT).execute(Tuple.of(pattern)).map(rows -> {
            Row row = rows.iterator().next();
            return new Count(row.getString("mode"), row.getLong("generic"), row.getLong("custom"));
        });
    }

    /** One pooled connection, on which Postgres chooses plans as the services let it (plan_cache_mode=auto). */
    public static class SingleConnection implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.datasource.reactive.max-size", "1",
                    "quarkus.datasource.reactive.additional-properties.plan_cache_mode", "auto");
        }
    }
}
