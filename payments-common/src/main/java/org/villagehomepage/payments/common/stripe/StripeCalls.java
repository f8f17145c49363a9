package org.villagehomepage.payments.common.stripe;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Runs a blocking stripe-java call off the event loop and retries what Stripe says is retryable:
 * connection failures and lost responses, 5xx, 429 and 409 idempotency-in-flight. The call must
 * carry an idempotency key, so a retry can never make a second object. The result is emitted on the
 * caller's Vert.x context again, so a reactive transaction can follow it.
 */
@ApplicationScoped
public class StripeCalls {

    private static final Logger LOG = Logger.getLogger(StripeCalls.class);

    private final StripeSettings settings;

    public StripeCalls(StripeSettings settings) {
        this.settings = settings;
    }

    @FunctionalInterface
    public interface Call<T> {
        T run() throws StripeException;
    }

    public <T> Uni<T> call(String what, Call<T> call) {
        return Uni.createFrom().deferred(() -> onCallerContext(Vertx.currentContext(), blocking(what, call)));
    }

    private static <T> Uni<T> onCallerContext(Context context, Uni<T> uni) {
        return context == null ? uni : uni.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    private <T> Uni<T> blocking(String what, Call<T> call) {
        return Uni.createFrom().<T>emitter(emitter -> {
                    try {
                        emitter.complete(call.run());
                    } catch (StripeException e) {
                        emitter.fail(e);
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure(StripeCalls::retryable).invoke(e -> LOG.warnf("Stripe %s failed, retrying with the same idempotency key: %s", what, describe(e)))
                .onFailure(StripeCalls::retryable).retry()
                .withBackOff(settings.retryBackoff(), Duration.ofSeconds(5)).withJitter(0.5)
                .atMost(Math.max(0, settings.maxAttempts() - 1));
    }

    public static boolean retryable(Throwable e) {
        if (e instanceof ApiConnectionException || e instanceof RateLimitException) {
            return true;
        }
        if (e instanceof StripeException stripe) {
            Integer status = stripe.getStatusCode();
            return e instanceof ApiException || (status != null && (status >= 500 || status == 409 || status == 429));
        }
        return false;
    }

    /** Safe for logs: Stripe's error code and status, not the request. */
    public static String describe(Throwable e) {
        if (e instanceof StripeException stripe) {
            return "status " + stripe.getStatusCode() + (stripe.getCode() != null ? ", code " + stripe.getCode() : "")
                    + (stripe.getRequestId() != null ? ", stripe request " + stripe.getRequestId() : "");
        }
        return org.villagehomepage.payments.common.problem.FailureKind.of(e);
    }
}
