package org.villagehomepage.payments.audit.intake;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.common.security.Roles;

/** Where every service's outbox delivers audit events (docs/contracts.md). */
@Path("/internal/audit/events")
@RolesAllowed(Roles.SERVICE)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class IntakeResource {

    private final IntakeService intake;
    private final JsonWebToken caller;

    public IntakeResource(IntakeService intake, JsonWebToken caller) {
        this.intake = intake;
        this.caller = caller;
    }

    /** 200 for new and already stored events alike; 400 (never retried usefully) for an invalid batch. */
    @POST
    public Uni<IntakeResult> receive(@Valid @NotNull EventBatch batch) {
        return intake.receive(batch, caller.getSubject() == null ? "unknown" : caller.getSubject());
    }
}
