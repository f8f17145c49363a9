package org.villagehomepage.payments.refund.review;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.common.security.Roles;
import org.villagehomepage.payments.refund.Actor;
import org.villagehomepage.payments.refund.request.RefundView;

/** Refund review, super_admin only. */
@Path("/admin/api/marketplace/refunds")
@RolesAllowed(Roles.SUPER_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class RefundReviewResource {

    private final RefundReview review;
    private final JsonWebToken jwt;

    public RefundReviewResource(RefundReview review, JsonWebToken jwt) {
        this.review = review;
        this.jwt = jwt;
    }

    /**
     * @param offset rows to skip (0 when absent), so any depth can be paged with pages of at most
     *               {@code limit} rows; the order (oldest first for a status, newest first for all)
     *               is total, so consecutive pages never overlap or miss a row.
     */
    @GET
    public Uni<List<RefundView>> list(
            @QueryParam("status") String status,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        return review.list(status, offset, limit)
                .map(requests -> requests.stream().map(RefundView::forAdmin).toList());
    }

    @GET
    @Path("/{id}")
    public Uni<RefundView> get(@PathParam("id") UUID id) {
        return review.get(id).map(RefundView::forAdmin);
    }

    @POST
    @Path("/{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RefundView> approve(@PathParam("id") UUID id, @Valid ApprovalNote body) {
        return review.approve(id, Actor.admin(jwt), body == null ? null : body.note())
                .map(RefundView::forAdmin);
    }

    @POST
    @Path("/{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RefundView> reject(@PathParam("id") UUID id, @Valid @NotNull DecisionNote body) {
        return review.reject(id, Actor.admin(jwt), body.note()).map(RefundView::forAdmin);
    }

    @POST
    @Path("/{id}/retry")
    public Uni<RefundView> retry(@PathParam("id") UUID id) {
        return review.retry(id, Actor.admin(jwt)).map(RefundView::forAdmin);
    }
}
