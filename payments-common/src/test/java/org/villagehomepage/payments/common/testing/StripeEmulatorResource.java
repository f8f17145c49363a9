package org.villagehomepage.payments.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import org.villagehomepage.payments.emulator.EmulatorConfig;
import org.villagehomepage.payments.emulator.StripeEmulator;

/**
 * Starts the stripe-emulator in-process on a random port and points the service under test at
 * it. Tests reach it through {@link #emulator()} for faults, deliveries and test helpers.
 */
public class StripeEmulatorResource implements QuarkusTestResourceLifecycleManager {

    public static final String SECRET_KEY = "sk_test_emulator";
    private static volatile StripeEmulator emulator;

    public static StripeEmulator emulator() {
        if (emulator == null) {
            throw new IllegalStateException(
                    "annotate the test with @QuarkusTestResource(StripeEmulatorResource.class)");
        }
        return emulator;
    }

    @Override
    public Map<String, String> start() {
        emulator = StripeEmulator.start(EmulatorConfig.builder().port(0).build());
        return Map.of("stripe.api-base", emulator.apiBase(), "stripe.secret-key", SECRET_KEY);
    }

    @Override
    public void stop() {
        if (emulator != null) {
            emulator.close();
            emulator = null;
        }
    }
}
