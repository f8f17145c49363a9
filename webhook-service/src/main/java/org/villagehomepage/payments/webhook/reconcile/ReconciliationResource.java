package org.villagehomepage.payments.webhook.reconcile;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.security.Roles;

/** Ops (super_admin): reconcile now instead of waiting for the schedule. */
@Path("/admin/api/webhooks/reconciliation")
@RolesAllowed(Roles.SUPER_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    private final Reconciliation reconciliation;
    private final JsonWebToken caller;

    public ReconciliationResource(Reconciliation reconciliation, JsonWebToken caller) {
        this.reconciliation = reconciliation;
        this.caller = caller;
    }

    /** 409 while another run holds the checkpoint. */
    @POST
    @Path("/run")
    public Uni<ReconciliationReport> run() {
        return reconciliation.run(new Reconciliation.Trigger("admin", caller.getSubject(), RequestIds.current()));
    }
}
