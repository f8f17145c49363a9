package org.villagehomepage.payments.checkout;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class FoundationTest {

    @Test
    void readyMetricsOpenApiAndProblems() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
        // The document a frontend developer reads: bearer JWT, request/answer schemas, problem+json errors.
        String checkout = "paths.'/api/marketplace/listings/{id}/checkout'.post";
        given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                .body(checkout + ".security[0].bearer", org.hamcrest.Matchers.notNullValue())
                .body(
                        checkout + ".responses.'403'.content.'application/problem+json'.schema.$ref",
                        equalTo("#/components/schemas/Problem"))
                .body(
                        checkout + ".responses.'400'.content.'application/problem+json'.schema.$ref",
                        equalTo("#/components/schemas/Problem"))
                .body("components.schemas.Problem.required", org.hamcrest.Matchers.hasItems("type", "title", "status"));
        given().get("/nope").then().statusCode(404).contentType("application/problem+json");
        given().get("/admin/api/outbox/dead").then().statusCode(401).contentType("application/problem+json");
    }
}
