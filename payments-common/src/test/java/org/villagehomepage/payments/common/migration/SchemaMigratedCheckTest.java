package org.villagehomepage.payments.common.migration;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service started on a schema nobody migrated is not ready and says why (HttpFoundationTest: ready on a migrated one). */
@QuarkusTest
@TestProfile(SchemaMigratedCheckTest.NotMigrated.class)
class SchemaMigratedCheckTest {

    public static class NotMigrated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "payments.migration.schema", "never_migrated",
                    "quarkus.flyway.migrate-at-start", "false",
                    "quarkus.flyway.clean-at-start", "false");
        }
    }

    @Test
    void notReadyOnAnUnmigratedSchemaAndSaysWhy() {
        given().get("/q/health/ready")
                .then()
                .statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Database schema migrated' }.status", equalTo("DOWN"))
                .body(
                        "checks.find { it.name == 'Database schema migrated' }.data.reason",
                        containsString("schema never_migrated is not migrated"))
                .body("checks.name", hasItem("Database schema migrated"));
        given().get("/q/health/live").then().statusCode(200);
    }
}
