package org.villagehomepage.payments.console.auth;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Resolves the operator of each page request: from the dev login's session cookie locally, from
 * the OIDC session (its access token is forwarded to the services) in production. Without one,
 * the browser goes to the login page.
 */
public class OperatorFilter {

    private final DevTokens devTokens;
    private final CurrentOperator current;
    private final SecurityIdentity identity;
    private final Csrf csrf;

    public OperatorFilter(DevTokens devTokens, CurrentOperator current, SecurityIdentity identity, Csrf csrf) {
        this.devTokens = devTokens;
        this.current = current;
        this.identity = identity;
        this.csrf = csrf;
    }

    @ServerRequestFilter
    public Response resolve(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if ("GET".equals(request.getMethod())) {
            csrf.getToken(); // sets the cookie before the page's forms embed the token
        }
        if (path.equals("/login") || path.equals("/logout")) {
            return null;
        }
        Operator operator = null;
        if (devTokens.enabled()) {
            Cookie cookie = request.getCookies().get(DevTokens.COOKIE);
            operator = devTokens.read(cookie == null ? null : cookie.getValue());
        } else if (identity != null && !identity.isAnonymous()) {
            AccessTokenCredential token = identity.getCredential(AccessTokenCredential.class);
            if (token != null) {
                operator = new Operator(
                        identity.getPrincipal().getName(), Set.copyOf(identity.getRoles()), token.getToken());
            }
        }
        if (operator == null) {
            return devTokens.enabled()
                    ? Response.seeOther(URI.create("/login")).build()
                    : Response.status(Response.Status.UNAUTHORIZED).build();
        }
        current.set(operator);
        return null;
    }
}
