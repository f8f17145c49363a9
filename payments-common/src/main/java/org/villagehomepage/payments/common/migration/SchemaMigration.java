package org.villagehomepage.payments.common.migration;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
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
 * {@code payments.migration.url}, by default the service's reactive URL with {@code jdbc:} in front.
 * Replicas starting together serialize on Flyway's advisory lock: one migrates, the rest validate.
 */
public final class SchemaMigration {

    private SchemaMigration() {}

    record Settings(String url, String user, String password, String schema, List<String> locations) {

        static Settings from(SmallRyeConfig config) {
            String url = config.getOptionalValue("payments.migration.url", String.class)
                    .orElseGet(() -> "jdbc:" + config.getValue("quarkus.datasource.reactive.url", String.class));
            return new Settings(
                    url,
                    config.getValue("quarkus.datasource.username", String.class),
                    config.getOptionalValue("quarkus.datasource.password", String.class)
                            .orElse(null),
                    config.getValue("payments.migration.schema", String.class),
                    config.getValues("payments.migration.locations", String.class));
        }
    }

    /** Applies what is pending (nothing when the schema is current) and validates what was applied. */
    static MigrateResult migrate(Settings settings) {
        return Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(settings.url(), settings.user(), settings.password())
                .schemas(settings.schema())
                .defaultSchema(settings.schema())
                .locations(settings.locations().toArray(String[]::new))
                // An init container may start while the database is still coming up: ~30 s of retries.
                .connectRetries(5)
                .load()
                .migrate();
    }

    static SmallRyeConfig config() {
        String profile = Optional.ofNullable(System.getProperty("quarkus.profile"))
                .or(() -> Optional.ofNullable(System.getenv("QUARKUS_PROFILE")))
                .orElse("prod");
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .addDefaultSources() // system properties, environment, META-INF/microprofile-config.properties
                .withProfile(profile);
        try {
            // The service's application.properties, above payments-common's defaults as in Quarkus.
            for (URL url :
                    Collections.list(SchemaMigration.class.getClassLoader().getResources("application.properties"))) {
                builder.withSources(new PropertiesConfigSource(url, 250));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return builder.build();
    }

    public static void main(String[] args) {
        // The log manager Quarkus installs, so that libraries logging through JUL do not complain.
        System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        String schema = "?";
        try {
            Settings settings = Settings.from(config());
            schema = settings.schema();
            MigrateResult result = migrate(settings);
            List<String> applied = new ArrayList<>();
            result.migrations.forEach(
                    m -> applied.add(m.version == null || m.version.isEmpty() ? m.description : m.version));
            System.out.printf(
                    "schema %s: %s (%d migration(s) applied%s)%n",
                    schema,
                    result.migrationsExecuted == 0 ? "up to date" : "migrated to version " + result.targetSchemaVersion,
                    result.migrationsExecuted,
                    applied.isEmpty() ? "" : ": " + String.join(", ", applied));
        } catch (RuntimeException e) {
            // Like a service that fails to start: the root cause's message, masked; no stack trace, no SQL.
            System.err.println("schema migration of " + schema + " failed: " + StartupFailureReason.reason(e));
            System.exit(1);
        }
    }
}
