package org.villagehomepage.payments.common.migration;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * A service no longer migrates its schema itself (SchemaMigration runs before it). Started on a
 * schema nobody migrated, it would answer every request with a 500; instead it stays not ready and
 * says why. Once the schema history is there the answer is kept: one query per service start.
 */
@Readiness
@ApplicationScoped
public class SchemaMigratedCheck implements AsyncHealthCheck {

    static final String NAME = "Database schema migrated";

    private final Pool pool;
    private final String schema;
    private volatile boolean migrated;

    SchemaMigratedCheck(Pool pool, @ConfigProperty(name = "payments.migration.schema") String schema) {
        this.pool = pool;
        this.schema = schema;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (migrated) {
            return Uni.createFrom().item(HealthCheckResponse.up(NAME));
        }
        return pool.preparedQuery("SELECT to_regclass(quote_ident($1) || '.flyway_schema_history') IS NOT NULL")
                .execute(Tuple.of(schema))
                .map(rows -> rows.iterator().next().getBoolean(0))
                .map(found -> {
                    migrated = found;
                    return found
                            ? HealthCheckResponse.up(NAME)
                            : HealthCheckResponse.named(NAME)
                                    .down()
                                    .withData(
                                            "reason",
                                            "schema " + schema + " is not migrated: run SchemaMigration first ("
                                                    + SchemaMigration.RUNS_FROM + ")")
                                    .build();
                })
                // The database itself being down is the datasource check's to report.
                .onFailure()
                .recoverWithItem(() -> HealthCheckResponse.named(NAME).down().build());
    }
}
