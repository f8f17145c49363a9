package org.villagehomepage.payments.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Where the services are, how operators log in, and the links the ops page offers. */
@ConfigMapping(prefix = "console")
public interface ConsoleConfig {

    Services services();

    DevLogin devLogin();

    /** Grafana's base URL for the ops page's links; none when unset. */
    Optional<String> grafanaUrl();

    /** Rows per page in every table (the services page too: no page loads 10,000s of rows). */
    @WithDefault("50")
    int pageSize();

    interface Services {
        @WithDefault("http://127.0.0.1:8081")
        String checkout();

        @WithDefault("http://127.0.0.1:8082")
        String webhook();

        @WithDefault("http://127.0.0.1:8083")
        String refund();

        @WithDefault("http://127.0.0.1:8084")
        String audit();

        /** Per-call timeout, milliseconds. */
        @WithDefault("10000")
        long timeoutMillis();
    }

    /**
     * The local login form: mints a user token with the local user identity provider's key
     * (scripts/keys.sh). Only with CONSOLE_DEV_LOGIN=true; refused at start next to OIDC or on a
     * non-loopback address (StartupCheck).
     */
    interface DevLogin {
        @WithDefault("false")
        boolean enabled();

        /** PEM private key of the local user identity provider (.run/keys/user-idp/private.pem). */
        Optional<String> keyLocation();

        @WithDefault("https://auth.payments.local")
        String issuer();

        @WithDefault("payments-api")
        String audience();

        /** Token lifetime, seconds (a working day). */
        @WithDefault("28800")
        long ttlSeconds();
    }
}
