package org.villagehomepage.payments.common.migration;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.BaseCallback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.output.MigrateResult;
import org.villagehomepage.payments.common.logging.StartupFailureReason;

/**
 * Brings one service's schema to its latest migration, then exits: the step before the service
 * starts ({@code scripts/suite-start.sh migrate}, the init container {@code migrate} in deploy/k8s),
 * so the service itself boots without Flyway, Agroal, Narayana or a JDBC driver (issue 14: they were
 * a fifth of every start). Run it from the service's own jar, which holds its migrations:
 * {@code java -cp quarkus-run.jar org.villagehomepage.payments.common.migration.SchemaMigration}.
 *
 * <p>Settings are read the way the service reads them (system properties, environment, the service's
 * application.properties, payments-common's defaults; profile {@code prod} unless QUARKUS_PROFILE):
 * {@code payments.migration.schema} (the service's schema), {@code payments.migration.locations},
 * {@code quarkus.datasource.username/password} (the service's own role, which owns its schema) and
 * {@code payments.migration.url}, by default the service's reactive URL as a JDBC URL.
 * Replicas starting together serialize on Flyway's advisory lock: one migrates, the rest validate.
 */
public final class SchemaMigration {

    static final String RUNS_FROM = "scripts/suite-start.sh migrate locally, the init container migrate in Kubernetes";

    private SchemaMigration() {}

    record Settings(String url, String user, String password, String schema, List<String> locations) {

        static Settings from(SmallRyeConfig config) {
            String url = config.getOptionalValue("payments.migration.url", String.class)
                    .orElseGet(() -> jdbcUrl(
                            config.getValue("quarkus.datasource.reactive.url", String.class),
                            config.getOptionalValue("quarkus.datasource.reactive.postgresql.ssl-mode", String.class)));
            return new Settings(
                    url,
                    config.getValue("quarkus.datasource.username", String.class),
                    config.getOptionalValue("quarkus.datasource.password", String.class)
                            .orElse(null),
                    config.getValue("payments.migration.schema", String.class),
                    config.getValues("payments.migration.locations", String.class));
        }
    }

    /**
     * The reactive client's URL ({@code postgresql://host:port/db?...}) as the JDBC driver's, with
     * the client's TLS mode. Several hosts or credentials in the URL have no faithful JDBC form here:
     * such a deployment names the migration's URL itself (PAYMENTS_MIGRATION_URL).
     */
    static String jdbcUrl(String reactiveUrl, Optional<String> sslMode) {
        String url = reactiveUrl.strip();
        if (url.startsWith("vertx-reactive:")) url = url.substring("vertx-reactive:".length());
        if (url.startsWith("postgres://")) url = "postgresql://" + url.substring("postgres://".length());
        int authorityEnd = url.indexOf('/', "postgresql://".length());
        String authority = url.substring(0, authorityEnd < 0 ? url.length() : authorityEnd);
        if (!url.startsWith("postgresql://") || authority.contains("@") || url.contains(",")) {
            throw new IllegalStateException("the reactive datasource URL has no plain JDBC form (several hosts,"
                    + " credentials or another scheme): set PAYMENTS_MIGRATION_URL (payments.migration.url)");
        }
        String jdbc = "jdbc:" + url;
        if (sslMode.isPresent() && !sslMode.get().equals("disable") && !jdbc.contains("sslmode=")) {
            jdbc += (jdbc.contains("?") ? "&" : "?") + "sslmode=" + sslMode.get();
        }
        return jdbc;
    }

    /** Applies what is pending (nothing when the schema is current) and validates what was applied. */
    static MigrateResult migrate(Settings settings, FailedMigration failed) {
        return Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(settings.url(), settings.user(), settings.password())
                .schemas(settings.schema())
                .defaultSchema(settings.schema())
                .locations(settings.locations().toArray(String[]::new))
                // A schema ahead of this image (a rollback, old pods during a rollout) is valid: migrations
                // are backward compatible (deploy/README.md, "Database migrations"). Flyway's default, stated.
                .ignoreMigrationPatterns("*:future")
                // An init container may start while the database is still coming up: ~30 s of retries.
                .connectRetries(5)
                .callbacks(failed)
                .load()
                .migrate();
    }

    /** Remembers which migration failed, so the one line an operator reads names it. */
    static final class FailedMigration extends BaseCallback {
        private volatile MigrationInfo migration;

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.AFTER_EACH_MIGRATE_ERROR;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            migration = context.getMigrationInfo();
        }

        String where() {
            MigrationInfo m = migration;
            if (m == null) return "";
            String version = m.getVersion() == null ? "repeatable" : "V" + m.getVersion();
            return " at " + version + " (" + m.getDescription() + ")";
        }
    }

    static SmallRyeConfig config() {
        String profile = Optional.ofNullable(System.getProperty("quarkus.profile"))
                .or(() -> Optional.ofNullable(System.getenv("QUARKUS_PROFILE")))
                .orElse("prod");
        // System properties, environment, config/application.properties, the service's
        // application.properties and payments-common's META-INF/microprofile-config.properties, at
        // Quarkus' ordinals.
        return new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDefaultSources()
                .withProfile(profile)
                .build();
    }

    /** One line on out (what was applied) or on err (why not); the process's exit code. */
    static int run(Supplier<SmallRyeConfig> config, PrintStream out, PrintStream err) {
        String schema = "?";
        FailedMigration failed = new FailedMigration();
        try {
            Settings settings = Settings.from(config.get());
            schema = settings.schema();
            MigrateResult result = migrate(settings, failed);
            List<String> applied = new ArrayList<>();
            result.migrations.forEach(
                    m -> applied.add(m.version == null || m.version.isEmpty() ? m.description : m.version));
            out.printf(
                    "schema %s: %s (%d migration(s) applied%s)%n",
                    schema,
                    result.migrationsExecuted == 0 ? "up to date" : "migrated to version " + result.targetSchemaVersion,
                    result.migrationsExecuted,
                    applied.isEmpty() ? "" : ": " + String.join(", ", applied));
            return 0;
        } catch (Throwable e) {
            // Like a service that fails to start: the root cause's message, masked; no stack trace, no SQL.
            err.println("schema migration of " + schema + " failed" + failed.where() + ": "
                    + StartupFailureReason.reason(e));
            return 1;
        }
    }

    public static void main(String[] args) {
        // The log manager Quarkus installs, so that libraries logging through JUL do not complain.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        System.exit(run(SchemaMigration::config, System.out, System.err));
    }
}
