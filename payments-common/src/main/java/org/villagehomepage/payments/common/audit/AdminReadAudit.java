package org.villagehomepage.payments.common.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.SecurityContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.outbox.SqlOutbox;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.common.problem.Problem;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.security.Roles;

/**
 * "Audit all admin access" (payment security procedures): every successful read of an admin
 * endpoint ({@code GET /admin/api/...}) by a super_admin is recorded as {@code admin.read} (who,
 * from where, which path and query) through the outbox before the answer leaves. No record, no
 * results: when the record cannot be written the answer becomes a 503 problem. audit-service
 * records its own reads in its chain ({@code audit.accessed}) and turns this off
 * ({@code payments.admin-read-audit.enabled=false}).
 */
@ApplicationScoped
public class AdminReadAudit {

    public static final String ACTION = "admin.read";
    private static final Logger LOG = Logger.getLogger(AdminReadAudit.class);

    private final Pool pool;
    private final SqlOutbox outbox;
    private final String service;
    private final boolean enabled;

    public AdminReadAudit(
            Pool pool,
            SqlOutbox outbox,
            @ConfigProperty(name = "quarkus.application.name") String service,
            @ConfigProperty(name = "payments.admin-read-audit.enabled", defaultValue = "true") boolean enabled) {
        this.pool = pool;
        this.outbox = outbox;
        this.service = service;
        this.enabled = enabled;
    }

    @ServerResponseFilter
    public Uni<Void> recordRead(
            ContainerRequestContext request, ContainerResponseContext response, HttpServerRequest http) {
        SecurityContext security = request.getSecurityContext();
        if (!enabled
                || !"GET".equals(request.getMethod())
                || response.getStatus() >= 300
                || !request.getUriInfo().getPath().startsWith("/admin/api/")
                || security == null
                || security.getUserPrincipal() == null
                || !security.isUserInRole(Roles.SUPER_ADMIN)) {
            return Uni.createFrom().voidItem();
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("method", "GET");
        details.put("path", request.getUriInfo().getPath());
        request.getUriInfo()
                .getQueryParameters()
                .forEach((name, values) -> details.put("query." + name, String.join(",", values)));
        String requestId = RequestIds.current();
        AuditEvent event = AuditEvent.builder(ACTION, "success")
                .actor("admin", security.getUserPrincipal().getName())
                .sourceIp(
                        http.remoteAddress() == null
                                ? null
                                : http.remoteAddress().hostAddress())
                .details(details)
                .build(service, requestId);
        return outbox.enqueue(
                        pool,
                        new SqlOutbox.Message(
                                UUID.randomUUID(),
                                AuditEvent.DESTINATION,
                                AuditEvent.PATH,
                                Map.of("events", List.of(event)),
                                requestId))
                .onFailure()
                .recoverWithUni(e -> {
                    LOG.errorf(
                            "Admin read not audited, answer withheld: path=%s: %s",
                            details.get("path"), FailureKind.of(e));
                    response.setStatus(503);
                    response.setEntity(Problem.of(
                            ProblemType.AUDIT_UNAVAILABLE,
                            "The read could not be audited; try again",
                            request.getUriInfo().getPath(),
                            requestId));
                    response.getHeaders().putSingle("Content-Type", Problem.MEDIA_TYPE);
                    return Uni.createFrom().voidItem();
                });
    }
}
