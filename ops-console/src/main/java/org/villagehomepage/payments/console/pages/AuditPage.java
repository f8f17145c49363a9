package org.villagehomepage.payments.console.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.villagehomepage.payments.console.ConsoleConfig;
import org.villagehomepage.payments.console.auth.CurrentOperator;
import org.villagehomepage.payments.console.client.Services;
import org.villagehomepage.payments.console.client.Services.Service;

/**
 * Security: the audit trail of a listing, payment or user in order (paged by audit-service),
 * its CSV export, chain verification and findings. Every read is recorded by audit-service as the
 * operator's access.
 */
@Path("/audit")
@Produces(MediaType.TEXT_HTML)
public class AuditPage {

    private final Services services;
    private final CurrentOperator operator;
    private final ConsoleConfig config;
    private final Template trail;
    private final Template verify;
    private final Template findings;

    public AuditPage(
            Services services,
            CurrentOperator operator,
            ConsoleConfig config,
            @Location("audit.html") Template trail,
            @Location("verify.html") Template verify,
            @Location("findings.html") Template findings) {
        this.services = services;
        this.operator = operator;
        this.config = config;
        this.trail = trail;
        this.verify = verify;
        this.findings = findings;
    }

    @GET
    public Uni<TemplateInstance> trail(
            @QueryParam("kind") String kind, @QueryParam("id") String id, @QueryParam("page") Integer pageParam) {
        int page = Paging.page(pageParam);
        TemplateInstance view = trail.data("operator", operator.get())
                .data("kind", kind == null ? "listing" : kind)
                .data("id", id)
                .data("page", page);
        if (id == null || id.isBlank()) {
            return Uni.createFrom().item(view.data("result", null).data("error", null));
        }
        String path = path(kind, id.strip()) + "page=" + page + "&size=" + config.pageSize();
        return services.get(operator.get(), Service.AUDIT, path)
                .map(a -> view.data("result", a.body())
                        .data(
                                "hasNext",
                                a.body() != null
                                        && number(Paging.field(a.body(), "total"))
                                                > (long) (page + 1) * config.pageSize())
                        .data("error", a.error()));
    }

    @GET
    @Path("/export.csv")
    @Produces("text/csv")
    public Uni<Response> csv(@QueryParam("kind") String kind, @QueryParam("id") String id) {
        if (id == null || id.isBlank()) {
            throw new BadRequestException("id required");
        }
        // audit-service's page size cap bounds one export; bigger exports page through it.
        String path = path(kind, id.strip()) + "format=csv&size=1000";
        return services.getText(operator.get(), Service.AUDIT, path)
                .map(a -> a.ok()
                        ? Response.ok(a.body(), "text/csv; charset=utf-8")
                                .header("Content-Disposition", "attachment; filename=\"audit-" + kind + ".csv\"")
                                .build()
                        : Response.status(a.status() == 0 ? 502 : a.status())
                                .type(MediaType.TEXT_PLAIN)
                                .entity(a.error())
                                .build());
    }

    @GET
    @Path("/verify")
    public Uni<TemplateInstance> verify(@QueryParam("run") String run) {
        TemplateInstance view = verify.data("operator", operator.get());
        if (run == null) {
            return Uni.createFrom().item(view.data("report", null).data("error", null));
        }
        return services.get(operator.get(), Service.AUDIT, "/admin/api/audit/verify")
                .map(a -> view.data("report", a.body()).data("error", a.error()));
    }

    @GET
    @Path("/findings")
    public Uni<TemplateInstance> findings(@QueryParam("page") Integer pageParam) {
        int page = Paging.page(pageParam);
        return services.get(
                        operator.get(),
                        Service.AUDIT,
                        "/admin/api/audit/findings?page=" + page + "&size=" + config.pageSize())
                .map(a -> findings.data("operator", operator.get())
                        .data("result", a.body())
                        .data("page", page)
                        .data(
                                "hasNext",
                                a.body() != null
                                        && number(Paging.field(a.body(), "total"))
                                                > (long) (page + 1) * config.pageSize())
                        .data("error", a.error()));
    }

    private static String path(String kind, String id) {
        if (!id.matches("[A-Za-z0-9_-]{1,200}")) {
            throw new BadRequestException("not an id");
        }
        return switch (kind == null ? "listing" : kind) {
            case "listing" -> "/admin/api/audit/trail?listingId=" + id + "&";
            case "payment" -> "/admin/api/audit/trail?paymentIntentId=" + id + "&";
            case "user" -> "/admin/api/audit/users/" + id + "/activity?days=365&";
            default -> throw new BadRequestException("kind is listing, payment or user");
        };
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
