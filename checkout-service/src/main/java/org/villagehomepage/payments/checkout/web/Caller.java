package org.villagehomepage.payments.checkout.web;

import io.vertx.core.http.HttpServerRequest;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;

/**
 * Who is calling and from where. The address is the peer's, or the client's from X-Forwarded-For
 * only when {@code quarkus.http.proxy.*} says the proxy in front is trusted.
 */
public record Caller(UUID userId, String sourceIp) {

    public static Caller of(JsonWebToken jwt, HttpServerRequest request) {
        return new Caller(userIdOf(jwt), sourceIp(request));
    }

    /** Users are identified by the JWT subject, a UUID; any other subject is refused. */
    static UUID userIdOf(JsonWebToken jwt) {
        try {
            return UUID.fromString(jwt.getSubject());
        } catch (RuntimeException e) {
            throw new ProblemException(ProblemType.INVALID_SUBJECT, "The token does not identify a user");
        }
    }

    public static String sourceIp(HttpServerRequest request) {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }

    public String actorId() {
        return userId.toString();
    }
}
