package org.villagehomepage.payments.refund.request;

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
import org.jboss.resteasy.reactive.RestResponse;
import org.villagehomepage.payments.common.security.Roles;
import org.villagehomepage.payments.refund.Actor;

/** Automatic refund requests from other services (checkout-service, through its outbox). */
@Path("/internal/refunds")
@RolesAllowed(Roles.SERVICE)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalRefundResource {

    private final RefundRequests refunds;
    private final JsonWebToken jwt;

    public InternalRefundResource(RefundRequests refunds, JsonWebToken jwt) {
        this.refunds = refunds;
        this.jwt = jwt;
    }

    /**
     * Idempotent by the request id: a redelivery answers the request as it stands. 202: the request
     * is stored; the Stripe refund (if automatic) follows in the background.
     */
    @POST
    public Uni<RestResponse<RefundView>> request(@Valid @NotNull AutomaticRefundCommand command) {
        return refunds.requestAutomatic(command, Actor.service(jwt))
                .map(request -> RestResponse.accepted(RefundView.forAdmin(request)));
    }
}
