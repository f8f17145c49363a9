package org.villagehomepage.payments.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import org.villagehomepage.payments.emulator.EmulatorConfig;
import org.villagehomepage.payments.emulator.StripeEmulator;

/** TEMPORARY local stand-in until main has the shared one. Not committed. */
public class StripeEmulatorResource implements QuarkusTestResourceLifecycleManager {
    private static StripeEmulator emulator;

    public static StripeEmulator emulator() {
        return emulator;
    }

    @Override
    public Map<String, String> start() {
        emulator = StripeEmulator.start(EmulatorConfig.builder().port(0).host("127.0.0.1").build());
        return Map.of("stripe.api-base", emulator.apiBase());
    }

    @Override
    public void stop() {
        emulator.close();
    }
}
