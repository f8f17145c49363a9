package org.villagehomepage.payments.refund.request;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.jboss.resteasy.reactive.RestResponse;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.security.ServiceCaller;
import org.villagehomepage.payments.refund.Actor;

/** Automatic refund requests from other services (checkout-service, through its outbox). */
@Path("/internal/refunds")
@PermitAll // a service endpoint: ServiceCallFilter admits only the senders in RefundAllowlist
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalRefundResource {

    private final RefundRequests refunds;
    private final RefundRequestRepository requests;
    private final Pool pool;

    public InternalRefundResource(RefundRequests refunds, RefundRequestRepository requests, Pool pool) {
        this.refunds = refunds;
        this.requests = requests;
        this.pool = pool;
    }

    public record KnownRefund(
            java.util.UUID requestId, String stripeRefundId, String paymentIntentId, String status, String reason) {}

    /** For disaster recovery's dry run: the request that records a Stripe refund, 404 when none does. */
    @GET
    @Path("/by-stripe-refund/{refundId}")
    public Uni<KnownRefund> byStripeRefund(
            @PathParam("refundId") @Pattern(regexp = "re_[A-Za-z0-9_]{1,200}") String refundId) {
        return requests.findByStripeRefundId(pool, refundId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("Refund"))
                .map(r -> new KnownRefund(r.id, r.stripeRefundId, r.paymentIntentId, r.status.wire(), r.reason.wire()));
    }

    /**
     * Idempotent by the request id: a redelivery answers the request as it stands. 202: the request
     * is stored; the Stripe refund (if automatic) follows in the background.
     */
    @POST
    public Uni<RestResponse<RefundView>> request(
            @Valid @NotNull AutomaticRefundCommand command, @Context SecurityContext security) {
        return refunds.requestAutomatic(command, Actor.service(ServiceCaller.of(security)))
                .map(request -> RestResponse.accepted(RefundView.forAdmin(request)));
    }
}
