package org.villagehomepage.payments.console.auth;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import jakarta.ws.rs.ForbiddenException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * CSRF protection by double-submit cookie: every page gets a random token in an HttpOnly,
 * SameSite=Strict cookie and in each form ({inject:csrf.token}, templates/tags/csrf.html); every
 * action compares the two. (The session cookies, OIDC's Lax and the dev login's Strict, are not sent
 * on a cross-site POST either; this is the second lock.)
 * quarkus-rest-csrf does the same but is not published for this Quarkus version.
 */
@Named("csrf")
@RequestScoped
public class Csrf {

    public static final String COOKIE = "console_csrf";
    public static final String FIELD = "csrf-token";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RoutingContext context;
    private String token;

    public Csrf(RoutingContext context) {
        this.context = context;
    }

    public String getParameterName() {
        return FIELD;
    }

    /** The token of this browser; a new one (and its cookie) when it has none. */
    public String getToken() {
        if (token == null) {
            Cookie cookie = context.request().getCookie(COOKIE);
            if (cookie != null && cookie.getValue().matches("[A-Za-z0-9_-]{43}")) {
                token = cookie.getValue();
            } else {
                byte[] bytes = new byte[32];
                RANDOM.nextBytes(bytes);
                token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                // Secure over https, also behind the TLS-terminating Ingress (X-Forwarded-Proto from a
                // trusted proxy makes isSSL true), as quarkus-oidc does for its cookies.
                context.response()
                        .addCookie(Cookie.cookie(COOKIE, token)
                                .setPath("/")
                                .setHttpOnly(true)
                                .setSecure(context.request().isSSL())
                                .setSameSite(CookieSameSite.STRICT));
            }
        }
        return token;
    }

    /** Throws 403 unless the form's token equals the cookie's. */
    public void verify(String submitted) {
        Cookie cookie = context.request().getCookie(COOKIE);
        if (cookie == null
                || submitted == null
                || !MessageDigest.isEqual(
                        cookie.getValue().getBytes(StandardCharsets.UTF_8),
                        submitted.getBytes(StandardCharsets.UTF_8))) {
            throw new ForbiddenException("CSRF token missing or wrong: reload the page and try again");
        }
    }
}
