package org.villagehomepage.payments.checkout.web;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.villagehomepage.payments.checkout.CheckoutSettings;
import org.villagehomepage.payments.common.http.PerUserRateLimiter;

/** The per-user budget of checkout and promote requests ({@code checkout.rate-limit.*}). */
@Singleton // no client proxy: its state lives in the shared superclass
public class RateLimiter extends PerUserRateLimiter {

    @Inject
    public RateLimiter(CheckoutSettings settings) {
        this(settings.rateLimit().capacity(), settings.rateLimit().period(), System::nanoTime);
    }

    RateLimiter(int capacity, Duration period, LongSupplier clock) {
        super(capacity, period, clock);
    }
}
