package org.villagehomepage.payments.common.http;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.villagehomepage.payments.common.problem.Problem;
import org.villagehomepage.payments.common.problem.ProblemType;

/**
 * What every request of every service goes through before and after the application: a request
 * id, the body limit, and problem+json for the answers Vert.x gives itself (unknown paths, bodies
 * over the limit). The security headers are Quarkus configuration ({@code quarkus.http.header.*}
 * in META-INF/microprofile-config.properties).
 */
@ApplicationScoped
public class HttpFilters {

    private final HttpSettings settings;

    public HttpFilters(HttpSettings settings) {
        this.settings = settings;
    }

    void filters(@Observes Filters filters) {
        filters.register(this::requestId, 1000);
        filters.register(this::bodyLimit, 900);
    }

    void routes(@Observes Router router) {
        // Runs only when nothing else matched the path.
        router.route().last().handler(ctx -> problem(ctx, ProblemType.NOT_FOUND, "The resource does not exist"));
        router.errorHandler(413, ctx -> problem(ctx, ProblemType.PAYLOAD_TOO_LARGE, "The request body is too large"));
        router.errorHandler(404, ctx -> problem(ctx, ProblemType.NOT_FOUND, "The resource does not exist"));
    }

    private void requestId(RoutingContext ctx) {
        String requestId = RequestIds.acceptOrCreate(ctx.request().getHeader(RequestIds.HEADER));
        RequestIds.set(requestId);
        ctx.put(RequestIds.MDC_KEY, requestId);
        ctx.response().headers().set(RequestIds.HEADER, requestId);
        ctx.next();
    }

    private void bodyLimit(RoutingContext ctx) {
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > settings.maxBodyBytes()) {
                    ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
                    problem(ctx, ProblemType.PAYLOAD_TOO_LARGE, "The request body is too large");
                    return;
                }
            } catch (NumberFormatException e) {
                problem(ctx, ProblemType.BAD_REQUEST, "Invalid Content-Length");
                return;
            }
        }
        ctx.next();
    }

    static void problem(RoutingContext ctx, ProblemType type, String detail) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.headWritten()) {
            return;
        }
        Object requestId = ctx.get(RequestIds.MDC_KEY);
        Problem problem =
                Problem.of(type, detail, ctx.request().path(), requestId == null ? null : requestId.toString());
        response.setStatusCode(type.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Json.encode(problem));
    }
}
