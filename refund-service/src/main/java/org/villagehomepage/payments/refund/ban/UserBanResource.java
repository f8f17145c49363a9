package org.villagehomepage.payments.refund.ban;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.common.cards.NoCardNumber;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.security.Roles;
import org.villagehomepage.payments.refund.Actor;

/** A super_admin looks at a user's chargeback standing and can lift a chargeback ban. */
@Path("/admin/api/users/{id}")
@RolesAllowed(Roles.SUPER_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class UserBanResource {

    public record UnbanBody(
            @NotBlank @Size(max = 1000) @NoCardNumber String reason) {}

    public record StandingView(UUID userId, int chargebacks, boolean banned, Instant bannedAt) {
        static StandingView of(UserStanding s) {
            return new StandingView(s.userId, s.chargebacks, s.banned, s.bannedAt);
        }
    }

    private final UserBans bans;
    private final JsonWebToken jwt;

    public UserBanResource(UserBans bans, JsonWebToken jwt) {
        this.bans = bans;
        this.jwt = jwt;
    }

    @GET
    @Path("/standing")
    public Uni<StandingView> standing(@PathParam("id") UUID userId) {
        return bans.standing(userId)
                .onItem()
                .ifNull()
                .failWith(() -> ProblemException.notFound("User standing"))
                .map(StandingView::of);
    }

    @POST
    @Path("/unban")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<StandingView> unban(@PathParam("id") UUID userId, @Valid @NotNull UnbanBody body) {
        return bans.unban(userId, Actor.admin(jwt), body.reason()).map(StandingView::of);
    }
}
