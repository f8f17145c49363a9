package org.villagehomepage.payments.audit.intake;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.security.ServiceCaller;

/** Where every service's outbox delivers audit events (docs/contracts.md). */
@Path("/internal/audit/events")
@PermitAll // a service endpoint: ServiceCallFilter admits only the senders in AuditAllowlist
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class IntakeResource {

    private final IntakeService intake;

    public IntakeResource(IntakeService intake) {
        this.intake = intake;
    }

    /**
     * 200 for new and already stored events alike; 400 (never retried usefully) for an invalid batch;
     * 403 when an event claims another service than its verified sender (no service writes the
     * trail in another's name).
     */
    @POST
    public Uni<IntakeResult> receive(@Valid @NotNull EventBatch batch, @Context SecurityContext security) {
        String sender = ServiceCaller.of(security);
        if (batch.events().stream().anyMatch(e -> !sender.equals(e.service()))) {
            throw new ProblemException(
                    ProblemType.SERVICE_MISMATCH, "Events may only be recorded for the sending service");
        }
        return intake.receive(batch, sender);
    }
}
