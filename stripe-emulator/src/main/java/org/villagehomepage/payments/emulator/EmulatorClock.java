package org.villagehomepage.payments.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Wall clock plus an offset that tests can move forward (created stamps, retry schedule, idempotency expiry). */
final class EmulatorClock {
    private final AtomicLong offsetMillis = new AtomicLong();

    long nowMillis() {
        return System.currentTimeMillis() + offsetMillis.get();
    }

    long nowSeconds() {
        return nowMillis() / 1000;
    }

    Instant now() {
        return Instant.ofEpochMilli(nowMillis());
    }

    void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("the emulator clock only moves forward");
        }
        offsetMillis.addAndGet(d.toMillis());
    }

    void reset() {
        offsetMillis.set(0);
    }
}
