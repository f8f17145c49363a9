package org.villagehomepage.payments.webhook.doctor;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.security.Roles;
import org.villagehomepage.payments.webhook.recovery.Recovery;

/**
 * Ops (super_admin): the payment doctor ({@code scripts/doctor.sh}). GET examines a PaymentIntent,
 * a listing or a user; POST also repairs what can be repaired through the normal paths. Both audited.
 */
@Path("/admin/api/webhooks/doctor/{subject}")
@RolesAllowed(Roles.SUPER_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class DoctorResource {

    private final PaymentDoctor doctor;
    private final JsonWebToken caller;

    public DoctorResource(PaymentDoctor doctor, JsonWebToken caller) {
        this.doctor = doctor;
        this.caller = caller;
    }

    @GET
    public Uni<DoctorReport> examine(@PathParam("subject") @Size(max = 210) String subject) {
        return doctor.examine(subject, false, new Recovery.Operator(caller.getSubject(), RequestIds.current()));
    }

    @POST
    public Uni<DoctorReport> apply(@PathParam("subject") @Size(max = 210) String subject) {
        return doctor.examine(subject, true, new Recovery.Operator(caller.getSubject(), RequestIds.current()));
    }
}
