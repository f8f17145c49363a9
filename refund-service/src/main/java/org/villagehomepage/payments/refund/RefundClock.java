package org.villagehomepage.payments.refund;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The clock every time decision uses (the automatic-refund window); tests replace it. */
public class RefundClock {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
