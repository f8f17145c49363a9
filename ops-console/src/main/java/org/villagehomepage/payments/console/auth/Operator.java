package org.villagehomepage.payments.console.auth;

import java.util.Set;

/** The person at the console: their id (the services' audit attributes actions to it), roles and token. */
public record Operator(String id, Set<String> roles, String token) {

    public static final String SUPER_ADMIN = "super_admin";

    public boolean superAdmin() {
        return roles.contains(SUPER_ADMIN);
    }
}
