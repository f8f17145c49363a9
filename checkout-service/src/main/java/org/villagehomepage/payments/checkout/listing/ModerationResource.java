package org.villagehomepage.payments.checkout.listing;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.villagehomepage.payments.common.outbox.OutboxRelay;
import org.villagehomepage.payments.common.security.Roles;

/** From moderation (docs/contracts.md): a listing is rejected. Idempotent. */
@Path("/internal/listings/{listingId}/reject")
@RolesAllowed(Roles.SERVICE)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ModerationResource {

    private final ModerationService moderation;

    public ModerationResource(ModerationService moderation) {
        this.moderation = moderation;
    }

    public record Rejection(@NotBlank @Size(max = 500) String reason) {
    }

    public record Applied(boolean applied) {
    }

    @POST
    public Uni<Applied> reject(@PathParam("listingId") UUID listingId,
            @HeaderParam(OutboxRelay.MESSAGE_ID_HEADER) @Size(max = 200) String messageId, @Valid @NotNull Rejection rejection) {
        return moderation.reject(listingId, rejection.reason(), messageId).map(Applied::new);
    }
}
