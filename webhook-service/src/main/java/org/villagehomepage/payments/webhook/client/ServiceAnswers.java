package org.villagehomepage.payments.webhook.client;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import java.util.Optional;

/**
 * What a call to another service means for recovery, the doctor and amount reconciliation: an answer
 * within the time allowed, "not there" for a 404 where the caller asks for it, and otherwise a failure
 * naming the service and its HTTP status (callers turn it into their problem type).
 */
public final class ServiceAnswers {

    private ServiceAnswers() {}

    /** The answer, or a failure: "{@code service} answered HTTP n", or a timeout after {@code timeout}. */
    public static <T> Uni<T> of(String service, Duration timeout, Uni<T> call) {
        return call.ifNoItem()
                .after(timeout)
                .fail()
                .onFailure(WebApplicationException.class)
                .transform(e -> new IllegalStateException(service + " answered HTTP "
                        + ((WebApplicationException) e).getResponse().getStatus()));
    }

    /** As {@link #of}, with 404 as empty. */
    public static <T> Uni<Optional<T>> orNotFound(String service, Duration timeout, Uni<T> call) {
        return of(
                service,
                timeout,
                call.map(Optional::ofNullable)
                        .onFailure(ServiceAnswers::notFound)
                        .recoverWithItem(Optional.empty()));
    }

    private static boolean notFound(Throwable e) {
        return e instanceof WebApplicationException w && w.getResponse().getStatus() == 404;
    }
}
