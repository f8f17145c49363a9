package org.villagehomepage.payments.checkout.listing;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.checkout.web.Caller;
import org.villagehomepage.payments.common.cards.NoCardNumber;
import org.villagehomepage.payments.common.security.Roles;

/**
 * Moderation rejects a listing (docs/contracts.md). A moderation decision is made by a person with
 * {@code super_admin}, never by a service: no service identity can reject a listing and trigger
 * its refund. Idempotent.
 */
@Path("/admin/api/marketplace/listings/{listingId}/reject")
@RolesAllowed(Roles.SUPER_ADMIN)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ModerationResource {

    private final ModerationService moderation;
    private final JsonWebToken jwt;

    public ModerationResource(ModerationService moderation, JsonWebToken jwt) {
        this.moderation = moderation;
        this.jwt = jwt;
    }

    public record Rejection(
            @NotBlank @Size(max = 500) @NoCardNumber String reason) {}

    public record Applied(boolean applied) {}

    @POST
    public Uni<Applied> reject(
            @PathParam("listingId") UUID listingId,
            @Valid @NotNull Rejection rejection,
            @Context HttpServerRequest request) {
        return moderation
                .reject(listingId, rejection.reason(), jwt.getSubject(), Caller.sourceIp(request))
                .map(Applied::new);
    }
}
