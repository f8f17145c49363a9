package org.villagehomepage.payments.common.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Map;

/**
 * Postgres' own count of the plans it made for the prepared statements whose text matches a LIKE
 * pattern, read from pg_prepared_statements. That view is per connection: tests that count run with
 * {@link SingleConnection}, so every statement they cause is on the connection that reads it.
 */
public final class PreparedPlans {

    /** More than the five custom plans Postgres makes before it weighs a generic one. */
    public static final int EXECUTIONS = 7;

    public record Count(long generic, long custom) {}

    private PreparedPlans() {}

    public static Count matching(Pool pool, String pattern) {
        Row row = pool.preparedQuery(
                        "SELECT coalesce(sum(generic_plans), 0) AS generic,"
                                + " coalesce(sum(custom_plans), 0) AS custom FROM pg_prepared_statements WHERE statement LIKE $1")
                .execute(Tuple.of(pattern))
                .await()
                .indefinitely()
                .iterator()
                .next();
        return new Count(row.getLong("generic"), row.getLong("custom"));
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
