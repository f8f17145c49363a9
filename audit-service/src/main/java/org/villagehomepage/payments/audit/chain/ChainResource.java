package org.villagehomepage.payments.audit.chain;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.audit.query.AccessRecorder;
import org.villagehomepage.payments.audit.query.Params;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.security.Roles;

/** Ops: is the trail as it was sealed? */
@Path("/admin/api/audit/verify")
@RolesAllowed(Roles.SUPER_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ChainResource {

    private final ChainVerifier verifier;
    private final AccessRecorder access;
    private final JsonWebToken caller;

    public ChainResource(ChainVerifier verifier, AccessRecorder access, JsonWebToken caller) {
        this.verifier = verifier;
        this.access = access;
        this.caller = caller;
    }

    /** Recomputes the chain over entries recorded in [from, to) (ISO-8601 instants, both optional). */
    @GET
    public Uni<VerificationReport> verify(
            @QueryParam("from") String from, @QueryParam("to") String to, HttpServerRequest request) {
        Instant fromTime = Params.instant("from", from);
        Instant toTime = Params.instant("to", to);
        if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
            throw new ProblemException(ProblemType.VALIDATION, "from must be before to");
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("from", fromTime == null ? null : fromTime.toString());
        params.put("to", toTime == null ? null : toTime.toString());
        return verifier.verify(fromTime, toTime)
                .call(report -> access.accessed(
                        caller.getSubject(),
                        request.remoteAddress() == null
                                ? null
                                : request.remoteAddress().hostAddress(),
                        "verify",
                        params,
                        report.checked()));
    }
}
