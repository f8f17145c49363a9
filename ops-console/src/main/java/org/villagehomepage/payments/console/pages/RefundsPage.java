package org.villagehomepage.payments.console.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.console.ConsoleConfig;
import org.villagehomepage.payments.console.auth.Csrf;
import org.villagehomepage.payments.console.auth.CurrentOperator;
import org.villagehomepage.payments.console.client.Services;
import org.villagehomepage.payments.console.client.Services.Service;

/** Support/finance: the refund review queue, one request with its payment's history, decisions. */
@Path("/refunds")
@Produces(MediaType.TEXT_HTML)
public class RefundsPage {

    static final List<String> STATUSES = List.of("pending", "approved", "failed", "processed", "rejected");

    static final List<String> ALL = java.util.stream.Stream.concat(STATUSES.stream(), java.util.stream.Stream.of("all"))
            .toList();

    private final Services services;
    private final CurrentOperator operator;
    private final Csrf csrf;
    private final ConsoleConfig config;
    private final Template list;
    private final Template detail;

    public RefundsPage(
            Services services,
            CurrentOperator operator,
            Csrf csrf,
            ConsoleConfig config,
            @Location("refunds.html") Template list,
            @Location("refund.html") Template detail) {
        this.services = services;
        this.operator = operator;
        this.csrf = csrf;
        this.config = config;
        this.list = list;
        this.detail = detail;
    }

    @GET
    public Uni<TemplateInstance> list(
            @QueryParam("status") String status,
            @QueryParam("page") Integer pageParam,
            @QueryParam("msg") String msg,
            @QueryParam("err") String err) {
        String wanted = status == null || status.isBlank() ? "pending" : status;
        if (!wanted.equals("all") && !STATUSES.contains(wanted)) {
            throw new BadRequestException("unknown status");
        }
        int page = Paging.page(pageParam);
        int size = config.pageSize();
        String query = "/admin/api/marketplace/refunds?" + Paging.window(page, size)
                + (wanted.equals("all") ? "" : "&status=" + wanted);
        return services.get(operator.get(), Service.REFUND, query).map(answer -> {
            List<?> rows = Paging.rows(answer);
            return list.data("operator", operator.get())
                    .data("status", wanted)
                    .data("page", page)
                    .data("statuses", ALL)
                    .data("back", "/refunds?status=" + wanted + "&page=" + page)
                    .data("rows", Paging.slice(rows, size))
                    .data("hasNext", Paging.hasNext(rows, size))
                    .data("error", answer.error() != null ? answer.error() : err)
                    .data("msg", msg);
        });
    }

    @GET
    @Path("/{id}")
    public Uni<TemplateInstance> detail(
            @PathParam("id") UUID id, @QueryParam("msg") String msg, @QueryParam("err") String err) {
        return services.get(operator.get(), Service.REFUND, "/admin/api/marketplace/refunds/" + id)
                .flatMap(refund -> {
                    Object pi = Paging.field(refund.body(), "paymentIntentId");
                    Uni<Object> history = pi == null
                            ? Uni.createFrom().item((Object) null)
                            : services.get(
                                            operator.get(),
                                            Service.AUDIT,
                                            "/admin/api/audit/trail?size=200&paymentIntentId="
                                                    + Paging.enc(pi.toString()))
                                    .map(a -> a.ok() ? a.body() : null);
                    return history.map(trail -> detail.data("operator", operator.get())
                            .data("refund", refund.body())
                            .data("back", "/refunds/" + id)
                            .data("trail", trail == null ? List.of() : Paging.field(trail, "entries"))
                            .data("error", refund.error() != null ? refund.error() : err)
                            .data("msg", msg));
                });
    }

    @POST
    @Path("/{id}/approve")
    public Uni<Response> approve(
            @PathParam("id") UUID id,
            @FormParam("note") String note,
            @FormParam("back") String back,
            @FormParam(Csrf.FIELD) String csrfToken) {
        csrf.verify(csrfToken);
        Map<String, Object> body = new HashMap<>();
        if (note != null && !note.isBlank()) {
            body.put("note", note);
        }
        return services.post(
                        operator.forAction(), Service.REFUND, "/admin/api/marketplace/refunds/" + id + "/approve", body)
                .map(a -> Paging.back(target(back, id), a, "Refund " + id + " approved"));
    }

    @POST
    @Path("/{id}/reject")
    public Uni<Response> reject(
            @PathParam("id") UUID id,
            @FormParam("note") String note,
            @FormParam("back") String back,
            @FormParam(Csrf.FIELD) String csrfToken) {
        csrf.verify(csrfToken);
        return services.post(
                        operator.forAction(),
                        Service.REFUND,
                        "/admin/api/marketplace/refunds/" + id + "/reject",
                        Map.of("note", note == null ? "" : note))
                .map(a -> Paging.back(target(back, id), a, "Refund " + id + " rejected"));
    }

    @POST
    @Path("/{id}/retry")
    public Uni<Response> retry(
            @PathParam("id") UUID id, @FormParam("back") String back, @FormParam(Csrf.FIELD) String csrfToken) {
        csrf.verify(csrfToken);
        return services.post(
                        operator.forAction(), Service.REFUND, "/admin/api/marketplace/refunds/" + id + "/retry", null)
                .map(a -> Paging.back(target(back, id), a, "Refund " + id + " sent again"));
    }

    /** Back to the list the operator came from, or to the request; never to another site. */
    private static String target(String back, UUID id) {
        if (back != null && back.startsWith("/refunds") && !back.startsWith("//") && back.length() < 200) {
            return back.replaceAll("[&?](msg|err)=[^&]*", "");
        }
        return "/refunds/" + id;
    }
}
