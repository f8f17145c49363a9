package org.villagehomepage.payments.common.security;

import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** The verified sender of an internal call, as the request's security context after {@link ServiceCallFilter}. */
public record ServiceCaller(String name) implements Principal {

    public static final String ROLE = "service";

    @Override
    public String getName() {
        return name;
    }

    /** The sender of this internal request; fails when the request was not authenticated as a service. */
    public static String of(SecurityContext context) {
        if (context != null && context.getUserPrincipal() instanceof ServiceCaller caller) {
            return caller.name();
        }
        throw new io.quarkus.security.UnauthorizedException();
    }

    record Context(ServiceCaller caller) implements SecurityContext {
        @Override
        public Principal getUserPrincipal() {
            return caller;
        }

        @Override
        public boolean isUserInRole(String role) {
            return ROLE.equals(role);
        }

        @Override
        public boolean isSecure() {
            return false;
        }

        @Override
        public String getAuthenticationScheme() {
            return "Bearer";
        }
    }
}
