package org.villagehomepage.payments.checkout.ops;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.checkout.web.Caller;
import org.villagehomepage.payments.common.security.Roles;

/** The checkout kill switch (scripts/checkout-switch.sh off|on|status). Every change is audited. */
@Path("/admin/api/marketplace/checkout-switch")
@RolesAllowed(Roles.SUPER_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class CheckoutSwitchResource {

    private final CheckoutSwitch checkoutSwitch;
    private final JsonWebToken jwt;

    public CheckoutSwitchResource(CheckoutSwitch checkoutSwitch, JsonWebToken jwt) {
        this.checkoutSwitch = checkoutSwitch;
        this.jwt = jwt;
    }

    public record Change(
            @NotNull Boolean accepting,
            @NotBlank @Size(max = 500) String reason) {}

    @GET
    public Uni<CheckoutSwitch.State> status() {
        return checkoutSwitch.state();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<CheckoutSwitch.State> change(@Valid @NotNull Change change, @Context HttpServerRequest request) {
        return checkoutSwitch.set(change.accepting(), change.reason(), jwt.getSubject(), Caller.sourceIp(request));
    }
}
