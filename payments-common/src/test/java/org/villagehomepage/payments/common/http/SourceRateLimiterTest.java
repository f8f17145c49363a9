package org.villagehomepage.payments.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Refusal audits stay bounded however many forgeries arrive (plain JUnit, time passed in). */
class SourceRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aSourceGetsItsBurstThenOneRecordPerRefillAndTheRecordCountsWhatWasSuppressed() {
        SourceRateLimiter limiter = new SourceRateLimiter(5, 6, 1000, 100, 0);

        for (int i = 0; i < 5; i++) {
            assertThat(limiter.admit("10.0.0.1", 0)).isEqualTo(1L);
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.admit("10.0.0.1", i)).isNull();
        }
        assertThat(limiter.admit("10.0.0.1", 10 * SECOND))
                .as("one token after 10 s at 6/min")
                .isEqualTo(1001L);
        assertThat(limiter.admit("10.0.0.1", 10 * SECOND)).isNull();
        assertThat(limiter.admit("10.0.0.2", 10 * SECOND))
                .as("other sources have their own bucket")
                .isEqualTo(1L);
    }

    @Test
    void allSourcesTogetherAreBoundedToo() {
        SourceRateLimiter limiter = new SourceRateLimiter(5, 6, 20, 100_000, 0);
        int written = 0;
        for (int i = 0; i < 10_000; i++) {
            if (limiter.admit("10.0." + (i / 250) + "." + (i % 250), 0) != null) {
                written++;
            }
        }
        assertThat(written).isEqualTo(20);
    }

    @Test
    void remembersABoundedNumberOfSources() {
        SourceRateLimiter limiter = new SourceRateLimiter(1, 6, 1_000_000, 3, 0);
        assertThat(limiter.admit("a", 0)).isNotNull();
        assertThat(limiter.admit("b", 0)).isNotNull();
        assertThat(limiter.admit("c", 0)).isNotNull();
        assertThat(limiter.admit("d", 0)).as("table full, nobody idle").isNull();
        assertThat(limiter.admit("d", 20 * SECOND))
                .as("idle sources are forgotten")
                .isNotNull();
    }
}
