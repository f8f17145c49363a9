package org.villagehomepage.payments.webhook.recovery;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.security.Roles;

/**
 * Ops (super_admin): rebuild payment state from Stripe after a data loss. GET is the dry run (what
 * would change, nothing written); POST applies it. {@code scripts/recover.sh} drives both.
 */
@Path("/admin/api/webhooks/recovery")
@RolesAllowed(Roles.SUPER_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class RecoveryResource {

    private final Recovery recovery;
    private final JsonWebToken caller;

    public RecoveryResource(Recovery recovery, JsonWebToken caller) {
        this.recovery = recovery;
        this.caller = caller;
    }

    /** @param since ISO-8601 date-time; PaymentIntents created from then on (default: 30 days back) */
    @GET
    public Uni<RecoveryReport> dryRun(@QueryParam("since") String since) {
        return recovery.run(parse(since), false, operator());
    }

    @POST
    public Uni<RecoveryReport> apply(@QueryParam("since") String since) {
        return recovery.run(parse(since), true, operator());
    }

    private Recovery.Operator operator() {
        return new Recovery.Operator(caller.getSubject(), RequestIds.current());
    }

    private static Instant parse(String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(since).toInstant();
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemType.VALIDATION, "since must be an ISO-8601 date-time with offset");
        }
    }
}
