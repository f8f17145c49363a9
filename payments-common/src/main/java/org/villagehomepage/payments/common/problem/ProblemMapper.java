package org.villagehomepage.payments.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.villagehomepage.payments.common.http.RequestIds;

/**
 * Turns every exception into application/problem+json. Clients get a stable type and a safe
 * message; the log gets the request id and the kind of failure, never a stack trace or SQL.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response domain(ProblemException e, HttpServerRequest request) {
        Response.ResponseBuilder builder =
                builder(Problem.of(e.problemType(), e.getMessage(), request.path(), RequestIds.current()), null);
        e.headers().forEach(builder::header);
        return builder.build();
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e, HttpServerRequest request) {
        Map<String, String> errors = new TreeMap<>();
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            errors.merge(fieldName(violation.getPropertyPath()), violation.getMessage(), (a, b) -> a + "; " + b);
        }
        return respond(ProblemType.VALIDATION, "The request has invalid fields", request, errors);
    }

    /** Quarkus's own subtype for violations found on resource parameters; same answer. */
    @ServerExceptionMapper
    public Response resourceValidation(
            io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException e,
            HttpServerRequest request) {
        return validation(e, request);
    }

    /** Declared separately because Quarkus ships more specific mappers for these two. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response parse(com.fasterxml.jackson.core.JsonParseException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, HttpServerRequest request) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return respond(
                    ProblemType.VALIDATION,
                    "The request has invalid fields",
                    request,
                    Map.of(unknown.getPropertyName(), "unknown field"));
        }
        if (e instanceof InvalidFormatException || e instanceof MismatchedInputException) {
            String field = ((MismatchedInputException) e)
                    .getPath().stream()
                            .map(ref ->
                                    ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                            .reduce((a, b) -> a + "." + b)
                            .orElse("body");
            return respond(
                    ProblemType.VALIDATION, "The request has invalid fields", request, Map.of(field, "invalid value"));
        }
        return respond(ProblemType.MALFORMED_JSON, "The request body is not valid JSON", request, null);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        return respond(ProblemType.UNAUTHORIZED, "Authentication is required", request, null);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpServerRequest request) {
        return respond(ProblemType.UNAUTHORIZED, "Authentication is required", request, null);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return respond(ProblemType.FORBIDDEN, "You are not allowed to do this", request, null);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, request);
        }
        String path = request.path();
        Problem problem = ProblemType.forStatus(status)
                .map(type -> Problem.of(type, safeDetail(status), path, RequestIds.current()))
                .orElseGet(() -> Problem.untyped(status, safeDetail(status), path, RequestIds.current()));
        Response.ResponseBuilder builder = builder(problem, null);
        if (status == 405 && e.getResponse().getHeaderString("Allow") != null) {
            builder.header("Allow", e.getResponse().getHeaderString("Allow"));
        }
        return builder.build();
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, HttpServerRequest request) {
        // Only the kind of failure is logged: messages of driver exceptions may carry SQL or data.
        LOG.errorf("Unexpected failure on %s %s: %s", request.method(), request.path(), FailureKind.of(e));
        return respond(ProblemType.INTERNAL, "Something went wrong on our side; quote the request id", request, null);
    }

    static Response respond(ProblemType type, String detail, HttpServerRequest request, Map<String, String> errors) {
        return builder(Problem.of(type, detail, request.path(), RequestIds.current()), errors)
                .build();
    }

    static Response.ResponseBuilder builder(Problem problem, Map<String, String> errors) {
        if (errors != null) {
            problem = problem.withErrors(errors);
        }
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem);
    }

    private static String fieldName(Path path) {
        String last = null;
        for (Path.Node node : path) {
            last = node.getName();
        }
        return last == null ? "body" : last;
    }

    static String safeDetail(int status) {
        return switch (status) {
            case 404 -> "The resource does not exist";
            case 405 -> "This method is not allowed here";
            case 406 -> "No acceptable representation";
            case 413 -> "The request body is too large";
            case 415 -> "This content type is not supported";
            default -> Problem.title(status);
        };
    }
}
