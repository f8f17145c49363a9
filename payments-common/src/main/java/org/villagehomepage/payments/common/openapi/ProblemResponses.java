package org.villagehomepage.payments.common.openapi;

import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.villagehomepage.payments.common.problem.Problem;

/**
 * Every operation of every service can answer with application/problem+json (ProblemMapper maps
 * all errors), so the document says so once here instead of on ~70 methods: a shared Problem
 * schema, 400/500 on every operation, 401/403 on secured ones, 429/503 where the suite can
 * answer them. Operations that document a status themselves keep their own description.
 */
public class ProblemResponses implements OASFilter {

    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("Problem", problemSchema());
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths()
                .getPathItems()
                .forEach((path, item) -> item.getOperations().values().forEach(operation -> {
                    // /internal endpoints are @PermitAll for Quarkus security: ServiceCallFilter demands a service
                    // token.
                    if (path.startsWith("/internal")
                            && (operation.getSecurity() == null
                                    || operation.getSecurity().isEmpty())) {
                        operation.addSecurityRequirement(
                                OASFactory.createSecurityRequirement().addScheme("bearer"));
                    }
                    addProblems(operation);
                }));
    }

    private void addProblems(Operation operation) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = operation.getResponses();
        Map<String, String> statuses = new TreeMap<>();
        statuses.put("400", "Invalid request (field errors listed in `errors`)");
        statuses.put("500", "Unexpected failure (safe message and request id only)");
        boolean secured =
                operation.getSecurity() != null && !operation.getSecurity().isEmpty();
        if (secured) {
            statuses.put("401", "Missing, expired or foreign token");
            statuses.put("403", "Authenticated, but this caller may not do this");
        }
        statuses.forEach((status, description) -> {
            if (!responses.hasAPIResponse(status)) {
                responses.addAPIResponse(
                        status,
                        OASFactory.createAPIResponse()
                                .description(description)
                                .content(OASFactory.createContent()
                                        .addMediaType(
                                                Problem.MEDIA_TYPE,
                                                OASFactory.createMediaType()
                                                        .schema(OASFactory.createSchema()
                                                                .ref(PROBLEM_REF)))));
            } else if (responses.getAPIResponse(status).getContent() == null) {
                responses
                        .getAPIResponse(status)
                        .content(OASFactory.createContent()
                                .addMediaType(
                                        Problem.MEDIA_TYPE,
                                        OASFactory.createMediaType()
                                                .schema(OASFactory.createSchema()
                                                        .ref(PROBLEM_REF))));
            }
        });
    }

    private static Schema problemSchema() {
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        return OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details: a stable type, a safe message and the request id")
                .addProperty(
                        "type",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.STRING)
                                .description("Stable identifier, urn:problem:payments:<slug>"))
                .addProperty("title", string)
                .addProperty(
                        "status",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.INTEGER)
                                .format("int32"))
                .addProperty(
                        "detail",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.STRING)
                                .description("Safe, human-readable explanation"))
                .addProperty("instance", string)
                .addProperty(
                        "requestId",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.STRING)
                                .description("Echo of X-Request-Id, for support"))
                .addProperty(
                        "errors",
                        OASFactory.createSchema()
                                .addType(Schema.SchemaType.OBJECT)
                                .additionalPropertiesSchema(string)
                                .description("Field -> message, on validation failures"))
                .required(java.util.List.of("type", "title", "status"));
    }
}
