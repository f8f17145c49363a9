package org.villagehomepage.payments.common.migration;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The step that runs before a service (not a Quarkus test: it runs without Quarkus, as in the init container). */
class SchemaMigrationTest {

    private static final String DB = System.getenv().getOrDefault("PAYMENTS_TEST_DB", "payments_test");
    private static final String SCHEMA = "migration_test";
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/" + DB;
    private static final String USER = System.getenv().getOrDefault("PAYMENTS_TEST_SUPERUSER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("PGPASSWORD", "");

    @BeforeEach
    void freshSchema() throws SQLException {
        sql("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    @Test
    void migratesAnEmptySchemaOnceThenFindsItCurrent() throws SQLException {
        var settings = new SchemaMigration.Settings(JDBC, USER, PASSWORD, SCHEMA, List.of("db/common"));

        MigrateResult first = SchemaMigration.migrate(settings, new SchemaMigration.FailedMigration());
        assertThat(first.migrationsExecuted).isEqualTo(3); // V0_1, V0_2 and the repeatable notify trigger
        assertThat(count("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + SCHEMA
                        + "' AND table_name IN ('outbox_message', 'processed_message')"))
                .isEqualTo(2);
        assertThat(count(
                        "SELECT count(*) FROM " + SCHEMA + ".flyway_schema_history WHERE success AND type <> 'SCHEMA'"))
                .isEqualTo(3);

        MigrateResult second = SchemaMigration.migrate(settings, new SchemaMigration.FailedMigration());
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

    @Test
    void aFailedMigrationIsOneLineNamingItAndExitCodeOne() throws SQLException {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();

        int code = SchemaMigration.run(
                () -> testDatabase("db/broken-migrations"),
                new PrintStream(out, true, UTF_8),
                new PrintStream(err, true, UTF_8));

        assertThat(code).isEqualTo(1);
        assertThat(out.toString(UTF_8)).isEmpty();
        String line = err.toString(UTF_8);
        assertThat(line.lines()).hasSize(1);
        assertThat(line)
                .startsWith("schema migration of migration_test failed at V2 (broken insert): ")
                .contains("missing_table")
                .doesNotContain("INSERT INTO", "Exception", "\tat ");
        // V1 stays applied, V2 is not recorded as a success: the next run retries it
        assertThat(count("SELECT count(*) FROM " + SCHEMA + ".flyway_schema_history WHERE success AND version = '1'"))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM " + SCHEMA + ".flyway_schema_history WHERE success AND version = '2'"))
                .isZero();
    }

    @Test
    void aSuccessfulRunPrintsWhatItApplied() {
        var out = new ByteArrayOutputStream();
        int code = SchemaMigration.run(() -> testDatabase("db/common"), new PrintStream(out, true, UTF_8), System.err);

        assertThat(code).isZero();
        assertThat(out.toString(UTF_8))
                .isEqualTo(
                        "schema migration_test: migrated to version 0.2 (3 migration(s) applied: 0.1, 0.2, outbox notify)\n");
    }

    @Test
    void theJdbcUrlKeepsTheTlsModeAndRefusesWhatItCannotCarry() {
        assertThat(SchemaMigration.jdbcUrl("postgres://db:5432/payments", Optional.of("require")))
                .isEqualTo("jdbc:postgresql://db:5432/payments?sslmode=require");
        assertThat(SchemaMigration.jdbcUrl(
                        "postgresql://db:5432/payments?application_name=x", Optional.of("verify-full")))
                .isEqualTo("jdbc:postgresql://db:5432/payments?application_name=x&sslmode=verify-full");
        assertThat(SchemaMigration.jdbcUrl("vertx-reactive:postgresql://db/payments", Optional.of("disable")))
                .isEqualTo("jdbc:postgresql://db/payments");
        for (String unsafe : List.of(
                "postgresql://checkout_svc:s3cret@db:5432/payments", "postgresql://db1:5432,db2:5432/payments")) {
            assertThatThrownBy(() -> SchemaMigration.jdbcUrl(unsafe, Optional.empty()))
                    .hasMessageContaining("set PAYMENTS_MIGRATION_URL")
                    .hasMessageNotContaining("s3cret");
        }
    }

    /** The settings a service would have, pointed at the test schema and the given migrations. */
    private static SmallRyeConfig testDatabase(String locations) {
        return config(Map.of(
                "payments.migration.url", JDBC,
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", PASSWORD,
                "payments.migration.schema", SCHEMA,
                "payments.migration.locations", locations));
    }

    private static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDefaultSources()
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build();
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(JDBC, USER, PASSWORD);
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static long count(String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(JDBC, USER, PASSWORD);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
