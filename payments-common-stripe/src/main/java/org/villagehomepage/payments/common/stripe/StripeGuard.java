package org.villagehomepage.payments.common.stripe;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.RateLimitException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

/**
 * SmallRye Fault Tolerance around every Stripe call of a service (one call = all its retries):
 * a bulkhead, so a slow Stripe holds at most {@code value} calls and the rest are refused at
 * once instead of queueing without bound; and a circuit breaker that opens when most recent calls
 * failed for Stripe's reasons (unreachable, 5xx, 429), so while Stripe is down callers get a clear
 * 503 in microseconds. Card declines and invalid requests are answers, not outages: they never
 * trip it. State and counts are exported as ft_* metrics; limits are configurable
 * (org.villagehomepage.payments.common.stripe.StripeGuard/guarded/CircuitBreaker/delay, ...).
 */
@ApplicationScoped
public class StripeGuard {

    /** Stripe calls in flight at most (the bulkhead's default value). */
    public static final int MAX_CALLS_IN_FLIGHT = 64;

    @Bulkhead(value = MAX_CALLS_IN_FLIGHT, waitingTaskQueue = 256)
    @CircuitBreaker(
            requestVolumeThreshold = 20,
            failureRatio = 0.5,
            delay = 10,
            delayUnit = ChronoUnit.SECONDS,
            successThreshold = 2,
            failOn = {ApiConnectionException.class, ApiException.class, RateLimitException.class})
    public <T> Uni<T> guarded(Supplier<Uni<T>> call) {
        return call.get();
    }
}
