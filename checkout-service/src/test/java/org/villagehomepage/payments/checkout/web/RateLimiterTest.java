package org.villagehomepage.payments.checkout.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(3, Duration.ofSeconds(30), now::get);

    @Test
    void allowsABurstThenAsksToWaitForTheNextToken() {
        UUID user = UUID.randomUUID();
        assertThat(limiter.acquire(user)).isEmpty();
        assertThat(limiter.acquire(user)).isEmpty();
        assertThat(limiter.acquire(user)).isEmpty();
        assertThat(limiter.acquire(user)).hasValue(Duration.ofSeconds(10));

        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(limiter.acquire(user)).hasValue(Duration.ofSeconds(6));
        now.addAndGet(Duration.ofSeconds(6).toNanos());
        assertThat(limiter.acquire(user)).isEmpty();
        assertThat(limiter.acquire(user)).isPresent();
    }

    @Test
    void usersHaveTheirOwnBuckets() {
        UUID a = UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            limiter.acquire(a);
        }
        assertThat(limiter.acquire(a)).isPresent();
        assertThat(limiter.acquire(UUID.randomUUID())).isEmpty();
    }
}
