package org.villagehomepage.payments.emulator;

import com.stripe.StripeClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** One emulator per test class, a stripe-java client on it, and a clean state before each test. */
abstract class EmulatorApiTest {
    static StripeEmulator emulator;
    static StripeClient stripe;

    @BeforeAll
    static void start() {
        emulator = StripeEmulator.start(EmulatorConfig.defaults());
        stripe = EmulatorTestSupport.client(emulator);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void reset() {
        emulator.reset();
    }
}
