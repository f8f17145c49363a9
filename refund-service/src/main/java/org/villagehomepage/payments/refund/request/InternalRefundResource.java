package org.villagehomepage.payments.refund.request;

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
import org.jboss.resteasy.reactive.RestResponse;
import org.villagehomepage.payments.common.security.ServiceCaller;
import org.villagehomepage.payments.refund.Actor;

/** Automatic refund requests from other services (checkout-service, through its outbox). */
@Path("/internal/refunds")
@PermitAll // a service endpoint: ServiceCallFilter admits only the senders in RefundAllowlist
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalRefundResource {

    private final RefundRequests refunds;

    public InternalRefundResource(RefundRequests refunds) {
        this.refunds = refunds;
    }

    /**
     * Idempotent by the request id: a redelivery answers the request as it stands. 202: the request
     * is stored; the Stripe refund (if automatic) follows in the background.
     */
    @POST
    public Uni<RestResponse<RefundView>> request(@Valid @NotNull AutomaticRefundCommand command, @Context SecurityContext security) {
        return refunds.requestAutomatic(command, Actor.service(ServiceCaller.of(security)))
                .map(request -> RestResponse.accepted(RefundView.forAdmin(request)));
    }
}
