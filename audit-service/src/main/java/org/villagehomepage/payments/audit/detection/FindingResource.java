package org.villagehomepage.payments.audit.detection;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.audit.AuditSettings;
import org.villagehomepage.payments.audit.query.AccessRecorder;
import org.villagehomepage.payments.audit.query.Params;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.security.Roles;

/** Ops: the findings of the detection rules, and a run on demand. Both are recorded as access. */
@Path("/admin/api/audit")
@RolesAllowed(Roles.SUPER_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class FindingResource {

    private final FindingRepository findings;
    private final DetectionService detection;
    private final AccessRecorder access;
    private final AuditSettings settings;
    private final JsonWebToken caller;

    public FindingResource(
            FindingRepository findings,
            DetectionService detection,
            AccessRecorder access,
            AuditSettings settings,
            JsonWebToken caller) {
        this.findings = findings;
        this.detection = detection;
        this.access = access;
        this.settings = settings;
        this.caller = caller;
    }

    @GET
    @Path("/findings")
    public Uni<FindingPage> list(
            @QueryParam("rule") String rule,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("100") int size,
            HttpServerRequest request) {
        if (rule != null && Rule.ofLabel(rule) == null) {
            throw new ProblemException(ProblemType.VALIDATION, "rule is not a known rule");
        }
        Params.within("page", page, 0, 1_000_000);
        Params.within("size", size, 1, settings.query().maxPageSize());
        Map<String, String> params = new LinkedHashMap<>();
        params.put("rule", rule);
        params.put("page", Integer.toString(page));
        params.put("size", Integer.toString(size));
        return findings.page(rule, page, size)
                .call(result -> access.accessed(
                        caller.getSubject(),
                        ip(request),
                        "findings",
                        params,
                        result.findings().size()));
    }

    /** Evaluates every rule now; answers the findings that are new. */
    @POST
    @Path("/detection/run")
    public Uni<List<Finding>> run(HttpServerRequest request) {
        return detection
                .run(Instant.now())
                .call(result ->
                        access.accessed(caller.getSubject(), ip(request), "detection-run", Map.of(), result.size()));
    }

    private static String ip(HttpServerRequest request) {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
