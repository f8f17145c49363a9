package org.villagehomepage.payments.common.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import org.villagehomepage.payments.common.cards.CardNumbers;
import org.villagehomepage.payments.common.problem.Problem;
import org.villagehomepage.payments.common.problem.ProblemType;

/** What the services' Origin allowlist filters share: the 403 answer and what of a refused request may be audited. */
public final class OriginRefusal {

    private OriginRefusal() {}

    /** The problem+json 403 {@code origin-not-allowed}, unless something already answered. */
    public static void refuse(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        Object requestId = ctx.get(RequestIds.MDC_KEY);
        Problem problem = Problem.of(
                ProblemType.ORIGIN_NOT_ALLOWED,
                "Requests from this origin are not allowed",
                ctx.request().path(),
                requestId == null ? null : requestId.toString());
        ctx.response()
                .setStatusCode(403)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Json.encode(problem));
    }

    /** A client-sent value (origin, path) as it may go into the audit trail: card numbers masked, 200 chars at most. */
    public static String auditable(String value) {
        String redacted = CardNumbers.redact(value);
        return redacted.length() > 200 ? redacted.substring(0, 200) : redacted;
    }
}
