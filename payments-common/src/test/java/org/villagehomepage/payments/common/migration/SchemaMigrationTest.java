package org.villagehomepage.payments.common.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The step that runs before a service (not a Quarkus test: it runs without Quarkus, as in the init container). */
class SchemaMigrationTest {

    private static final String DB = System.getenv().getOrDefault("PAYMENTS_TEST_DB", "payments_test");
    private static final String SCHEMA = "migration_test";
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/" + DB;

    @BeforeEach
    void freshSchema() throws SQLException {
        sql("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    @Test
    void migratesAnEmptySchemaOnceThenFindsItCurrent() throws SQLException {
        var settings = new SchemaMigration.Settings(JDBC, "postgres", null, SCHEMA, List.of("db/common"));

        MigrateResult first = SchemaMigration.migrate(settings);
        assertThat(first.migrationsExecuted).isEqualTo(3); // V0_1, V0_2 and the repeatable notify trigger
        assertThat(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + SCHEMA
                        + "' AND table_name IN ('outbox_message', 'processed_message')"))
                .isEqualTo(2);
        assertThat(count(
                        "SELECT count(*) FROM " + SCHEMA + ".flyway_schema_history WHERE success AND type <> 'SCHEMA'"))
                .isEqualTo(3);

        MigrateResult second = SchemaMigration.migrate(settings);
        assertThat(second.migrationsExecuted).isZero();
        assertThat(count("SELECT count(*) FROM " + SCHEMA + ".flyway_schema_history WHERE type <> 'SCHEMA'"))
                .isEqualTo(3);
    }

    @Test
    void readsTheServiceSettingsAndDerivesTheJdbcUrlFromTheReactiveOne() {
        var settings = SchemaMigration.Settings.from(config(Map.of(
                "quarkus.datasource.reactive.url", "postgresql://db.internal:5432/payments",
                "quarkus.datasource.username", "checkout_svc",
                "quarkus.datasource.password", "s3cret",
                "payments.migration.schema", "checkout",
                "payments.migration.locations", "db/migration,db/common")));

        assertThat(settings.url()).isEqualTo("jdbc:postgresql://db.internal:5432/payments");
        assertThat(settings.user()).isEqualTo("checkout_svc");
        assertThat(settings.password()).isEqualTo("s3cret");
        assertThat(settings.schema()).isEqualTo("checkout");
        assertThat(settings.locations()).containsExactly("db/migration", "db/common");
    }

    @Test
    void anExplicitMigrationUrlWins() {
        var settings = SchemaMigration.Settings.from(config(Map.of(
                "quarkus.datasource.reactive.url", "postgresql://db.internal:5432/payments",
                "payments.migration.url", "jdbc:postgresql://primary.internal:5432/payments?sslmode=require",
                "quarkus.datasource.username", "audit_svc",
                "payments.migration.schema", "audit")));

        assertThat(settings.url()).isEqualTo("jdbc:postgresql://primary.internal:5432/payments?sslmode=require");
        assertThat(settings.password()).isNull();
    }

    private static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDefaultSources()
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build();
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(JDBC, "postgres", null);
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static long count(String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(JDBC, "postgres", null);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
