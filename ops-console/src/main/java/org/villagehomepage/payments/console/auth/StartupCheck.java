package org.villagehomepage.payments.console.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.villagehomepage.payments.console.ConsoleConfig;

/**
 * The dev login mints super_admin tokens for whoever asks: it must never run where operators log
 * in through the organisation's identity provider, nor be reachable from another machine.
 */
public class StartupCheck {

    void check(
            @Observes StartupEvent event,
            ConsoleConfig config,
            @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true") boolean oidc,
            @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0") String host) {
        String problem = problem(config.devLogin().enabled(), oidc, host);
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    static String problem(boolean devLogin, boolean oidc, String host) {
        if (devLogin && oidc) {
            return "Refusing to start: the dev login (CONSOLE_DEV_LOGIN=true) is for local runs only, and OIDC login is enabled";
        }
        if (devLogin && !(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1"))) {
            return "Refusing to start: the dev login (CONSOLE_DEV_LOGIN=true) listens on loopback only (QUARKUS_HTTP_HOST=127.0.0.1), not "
                    + host;
        }
        if (!devLogin && !oidc) {
            return "Refusing to start: no login configured (OIDC: CONSOLE_OIDC_AUTH_SERVER_URL and client; local: CONSOLE_DEV_LOGIN=true)";
        }
        return null;
    }
}
