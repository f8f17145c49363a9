package org.villagehomepage.payments.common.migration;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.SmallRyeConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Dev mode ({@code ./mvnw quarkus:dev}) only: migrates the service's schema from its sources at
 * each (re)start, before anything else starts, so a migration being written applies on the next
 * live reload. Packaged services never contain this bean; they are migrated before they start.
 */
@IfBuildProfile("dev")
@ApplicationScoped
class DevSchemaMigration {

    void migrate(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        var settings = SchemaMigration.Settings.from(ConfigProvider.getConfig().unwrap(SmallRyeConfig.class));
        MigrateResult result = SchemaMigration.migrate(settings, new SchemaMigration.FailedMigration());
        Log.infof(
                "Dev mode: schema %s migrated (%d migration(s) applied)", settings.schema(), result.migrationsExecuted);
    }
}
