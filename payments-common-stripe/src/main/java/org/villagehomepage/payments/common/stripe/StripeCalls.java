package org.villagehomepage.payments.common.stripe;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;

/**
 * Runs a blocking stripe-java call on a virtual thread (a slow Stripe parks cheap virtual threads,
 * never the worker pool the rest of the service needs) and retries what Stripe says is retryable:
 * connection failures and lost responses, 5xx, 429 and 409 idempotency-in-flight. The call must
 * carry an idempotency key, so a retry can never make a second object. {@link StripeGuard} bounds
 * the calls in flight and fails fast with a 503 problem while Stripe is down. The result is emitted
 * on the caller's Vert.x context again, so a reactive transaction can follow it.
 */
@ApplicationScoped
public class StripeCalls {

    private static final Logger LOG = Logger.getLogger(StripeCalls.class);

    private final ExecutorService stripeThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("stripe-call-", 0).factory());

    private final StripeSettings settings;
    private final StripeGuard guard;

    public StripeCalls(StripeSettings settings, StripeGuard guard) {
        this.settings = settings;
        this.guard = guard;
    }

    @FunctionalInterface
    public interface Call<T> {
        T run() throws StripeException;
    }

    public <T> Uni<T> call(String what, Call<T> call) {
        return Uni.createFrom()
                .deferred(() -> onCallerContext(
                        Vertx.currentContext(),
                        guard.guarded(() -> blocking(what, call))
                                .onFailure(
                                        e -> e instanceof CircuitBreakerOpenException || e instanceof BulkheadException)
                                .transform(e -> unavailable(what, e))));
    }

    private static ProblemException unavailable(String what, Throwable e) {
        LOG.warnf(
                "Stripe %s not attempted: %s",
                what,
                e instanceof CircuitBreakerOpenException
                        ? "circuit open (Stripe failing)"
                        : "too many Stripe calls in flight");
        return new ProblemException(
                ProblemType.PAYMENT_PROVIDER_DOWN,
                "The payment provider is not answering; please try again shortly",
                Map.of("Retry-After", "10"));
    }

    private static <T> Uni<T> onCallerContext(Context context, Uni<T> uni) {
        return context == null ? uni : uni.emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    private <T> Uni<T> blocking(String what, Call<T> call) {
        return Uni.createFrom()
                .<T>emitter(emitter -> {
                    try {
                        emitter.complete(call.run());
                    } catch (StripeException e) {
                        emitter.fail(e);
                    }
                })
                .runSubscriptionOn(stripeThreads)
                .onFailure(StripeCalls::retryable)
                .invoke(e ->
                        LOG.warnf("Stripe %s failed, retrying with the same idempotency key: %s", what, describe(e)))
                .onFailure(StripeCalls::retryable)
                .retry()
                .withBackOff(settings.retryBackoff(), Duration.ofSeconds(5))
                .withJitter(0.5)
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
