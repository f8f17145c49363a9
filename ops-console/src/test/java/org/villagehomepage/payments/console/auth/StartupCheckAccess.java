package org.villagehomepage.payments.console.auth;

/** Opens StartupCheck's package-private rule to the test. */
public final class StartupCheckAccess {

    private StartupCheckAccess() {}

    public static String problem(boolean devLogin, boolean oidc, String host) {
        return StartupCheck.problem(devLogin, oidc, host);
    }
}
