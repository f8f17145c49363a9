package org.villagehomepage.payments.console.auth;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.villagehomepage.payments.console.ConsoleConfig;

/** The local login form (CONSOLE_DEV_LOGIN=true only) and logout. */
@Path("/")
public class LoginResource {

    private final DevTokens tokens;
    private final Csrf csrf;
    private final ConsoleConfig config;
    private final Template login;

    public LoginResource(DevTokens tokens, Csrf csrf, ConsoleConfig config, @Location("login.html") Template login) {
        this.tokens = tokens;
        this.csrf = csrf;
        this.config = config;
        this.login = login;
    }

    @GET
    @Path("/login")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance form() {
        if (!tokens.enabled()) {
            throw new NotFoundException();
        }
        return login.data("error", null);
    }

    @POST
    @Path("/login")
    @Produces(MediaType.TEXT_HTML)
    public Response login(
            @FormParam("operator") String operator,
            @FormParam("role") String role,
            @FormParam(Csrf.FIELD) String csrfToken) {
        csrf.verify(csrfToken);
        if (!tokens.enabled()) {
            throw new NotFoundException();
        }
        if (operator == null || !DevTokens.OPERATOR_ID.matcher(operator).matches()) {
            return Response.status(400)
                    .entity(login.data("error", "Operator id: 1-100 letters, digits, . _ @ -"))
                    .build();
        }
        String token = tokens.mint(operator, !"read-only".equals(role));
        NewCookie cookie = new NewCookie.Builder(DevTokens.COOKIE)
                .value(token)
                .path("/")
                .httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT)
                .maxAge((int) config.devLogin().ttlSeconds())
                .build();
        return Response.seeOther(URI.create("/")).cookie(cookie).build();
    }

    @POST
    @Path("/logout")
    public Response logout(@FormParam(Csrf.FIELD) String csrfToken) {
        csrf.verify(csrfToken);
        NewCookie gone = new NewCookie.Builder(DevTokens.COOKIE)
                .value("")
                .path("/")
                .httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT)
                .maxAge(0)
                .build();
        return Response.seeOther(URI.create(tokens.enabled() ? "/login" : "/"))
                .cookie(gone)
                .build();
    }
}
