package org.villagehomepage.payments.webhook.ops;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.common.security.Roles;

/** Ops (super_admin): stored Stripe events by status, and replay of one. */
@Path("/admin/api/webhooks/events")
@RolesAllowed(Roles.SUPER_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class WebhookEventsResource {

    private final WebhookEventsService events;
    private final JsonWebToken caller;

    public WebhookEventsResource(WebhookEventsService events, JsonWebToken caller) {
        this.events = events;
        this.caller = caller;
    }

    /**
     * @param status received, dispatched, processed, failed or dead
     * @param since  ISO-8601 date-time: events received at or after it
     * @param offset rows to skip (0 when absent): with pages of at most {@code limit} (1,000) rows any
     *               depth can be paged; the order (newest received first, then event id) is total, so
     *               consecutive pages never overlap or miss a row
     */
    @GET
    public Uni<List<WebhookEventView>> list(
            @QueryParam("status") String status,
            @QueryParam("type") String type,
            @QueryParam("since") String since,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        return events.list(status, type, since, offset, limit);
    }

    @POST
    @Path("/{id}/replay")
    public Uni<WebhookEventView> replay(@PathParam("id") String eventId) {
        return events.replay(eventId, caller.getSubject());
    }
}
