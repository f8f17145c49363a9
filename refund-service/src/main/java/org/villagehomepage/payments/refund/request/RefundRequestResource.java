package org.villagehomepage.payments.refund.request;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.security.Roles;
import org.villagehomepage.payments.refund.web.BrowserGate;

/** A user asks for a refund of their own payment, and follows it. */
@Path("/api/marketplace/refunds")
@RolesAllowed(Roles.USER)
@Produces(MediaType.APPLICATION_JSON)
public class RefundRequestResource {

    private final RefundRequests refunds;
    private final JsonWebToken jwt;
    private final BrowserGate gate;

    public RefundRequestResource(RefundRequests refunds, JsonWebToken jwt, BrowserGate gate) {
        this.refunds = refunds;
        this.jwt = jwt;
        this.gate = gate;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> request(@Valid @NotNull UserRefundCommand command) {
        UUID user = caller();
        return gate.admit(user)
                .chain(() -> refunds.requestByUser(user, command))
                .map(request -> Response.created(URI.create("/api/marketplace/refunds/" + request.id))
                        .entity(RefundView.forOwner(request))
                        .build());
    }

    @GET
    @Path("/{id}")
    public Uni<RefundView> get(@PathParam("id") UUID id) {
        return refunds.ownRequest(caller(), id).map(RefundView::forOwner);
    }

    /** A subject that is not a UUID owns nothing. */
    private UUID caller() {
        try {
            return UUID.fromString(jwt.getSubject());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ProblemException(ProblemType.FORBIDDEN, "You are not allowed to do this");
        }
    }
}
