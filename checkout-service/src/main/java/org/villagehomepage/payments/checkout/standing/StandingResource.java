package org.villagehomepage.payments.checkout.standing;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;
import org.villagehomepage.payments.common.outbox.OutboxRelay;
import org.villagehomepage.payments.common.security.ServiceCaller;

/** From refund-service's outbox (docs/contracts.md): users banned for chargebacks, and unbanned. */
@Path("/internal/users/{userId}")
@PermitAll // a service endpoint: ServiceCallFilter admits only the senders in CheckoutAllowlist
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class StandingResource {

    private final StandingService standing;

    public StandingResource(StandingService standing) {
        this.standing = standing;
    }

    /** {@code version}: refund-service's per-user message number; absent from older senders. */
    public record BanRequest(
            @Size(max = 500) String reason,
            @PositiveOrZero Integer chargebacks,
            @PositiveOrZero Long version) {}

    public record UnbanRequest(
            @Size(max = 500) String reason, @PositiveOrZero Long version) {}

    public record Applied(boolean applied) {}

    @POST
    @Path("/ban")
    public Uni<Applied> ban(
            @PathParam("userId") UUID userId,
            @HeaderParam(OutboxRelay.MESSAGE_ID_HEADER) @Size(max = 200) String messageId,
            @Valid @NotNull BanRequest request,
            @Context SecurityContext security) {
        StandingChange change = new StandingChange(true, request.reason(), request.chargebacks(), request.version());
        return standing.apply(userId, change, ServiceCaller.of(security), messageId)
                .map(Applied::new);
    }

    @POST
    @Path("/unban")
    public Uni<Applied> unban(
            @PathParam("userId") UUID userId,
            @HeaderParam(OutboxRelay.MESSAGE_ID_HEADER) @Size(max = 200) String messageId,
            @Valid @NotNull UnbanRequest request,
            @Context SecurityContext security) {
        StandingChange change = new StandingChange(false, request.reason(), null, request.version());
        return standing.apply(userId, change, ServiceCaller.of(security), messageId)
                .map(Applied::new);
    }
}
