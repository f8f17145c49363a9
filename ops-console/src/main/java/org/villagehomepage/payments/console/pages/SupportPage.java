package org.villagehomepage.payments.console.pages;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.console.auth.Csrf;
import org.villagehomepage.payments.console.auth.CurrentOperator;
import org.villagehomepage.payments.console.client.Answer;
import org.villagehomepage.payments.console.client.Services;
import org.villagehomepage.payments.console.client.Services.Service;

/** Support: a user's standing and unban; the payment doctor's view of a PaymentIntent, listing or user and its repair. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class SupportPage {

    private final Services services;
    private final CurrentOperator operator;
    private final Csrf csrf;
    private final Template users;
    private final Template doctor;

    public SupportPage(
            Services services,
            CurrentOperator operator,
            Csrf csrf,
            @Location("users.html") Template users,
            @Location("doctor.html") Template doctor) {
        this.services = services;
        this.operator = operator;
        this.csrf = csrf;
        this.users = users;
        this.doctor = doctor;
    }

    @GET
    @Path("/users")
    public Uni<TemplateInstance> user(
            @QueryParam("id") String id, @QueryParam("msg") String msg, @QueryParam("err") String err) {
        TemplateInstance page =
                users.data("operator", operator.get()).data("id", id).data("msg", msg);
        UUID userId = uuid(id);
        if (userId == null) {
            return Uni.createFrom()
                    .item(page.data("standing", null)
                            .data("activity", null)
                            .data("error", id == null || id.isBlank() ? err : "A user id is a UUID"));
        }
        Uni<Answer> standing = services.get(operator.get(), Service.REFUND, "/admin/api/users/" + userId + "/standing");
        Uni<Answer> activity =
                services.get(operator.get(), Service.AUDIT, "/admin/api/audit/users/" + userId + "/activity?size=50");
        return Uni.combine()
                .all()
                .unis(standing, activity)
                .asTuple()
                .map(t -> page.data("standing", t.getItem1().body())
                        .data(
                                "activity",
                                t.getItem2().ok() ? Paging.field(t.getItem2().body(), "entries") : null)
                        .data(
                                "error",
                                t.getItem1().status() == 404
                                        ? "No standing recorded for this user (no chargebacks, not banned)"
                                        : t.getItem1().error() != null
                                                ? t.getItem1().error()
                                                : err));
    }

    @POST
    @Path("/users/{id}/unban")
    public Uni<Response> unban(
            @PathParam("id") UUID id, @FormParam("reason") String reason, @FormParam(Csrf.FIELD) String csrfToken) {
        csrf.verify(csrfToken);
        return services.post(
                        operator.forAction(),
                        Service.REFUND,
                        "/admin/api/users/" + id + "/unban",
                        Map.of("reason", reason == null ? "" : reason))
                .map(a -> Paging.back("/users?id=" + id, a, "User " + id + " unbanned"));
    }

    @GET
    @Path("/doctor")
    public Uni<TemplateInstance> doctor(
            @QueryParam("subject") String subject, @QueryParam("msg") String msg, @QueryParam("err") String err) {
        TemplateInstance page =
                doctor.data("operator", operator.get()).data("subject", subject).data("msg", msg);
        if (subject == null || subject.isBlank()) {
            return Uni.createFrom().item(page.data("report", null).data("error", err));
        }
        String s = subject.strip();
        if (s.length() > 210 || !s.matches("[A-Za-z0-9_-]+")) {
            return Uni.createFrom()
                    .item(page.data("report", null)
                            .data("error", "Give a PaymentIntent id (pi_...) or a listing or user id (UUID)"));
        }
        return services.get(operator.get(), Service.WEBHOOK, "/admin/api/webhooks/doctor/" + s)
                .map(a -> page.data("report", a.body()).data("error", a.error() != null ? a.error() : err));
    }

    @POST
    @Path("/doctor/repair")
    public Uni<Response> repair(@FormParam("subject") String subject, @FormParam(Csrf.FIELD) String csrfToken) {
        csrf.verify(csrfToken);
        String s = subject == null ? "" : subject.strip();
        if (!s.matches("[A-Za-z0-9_-]{1,210}")) {
            return Uni.createFrom().item(Response.status(400).build());
        }
        return services.post(operator.forAction(), Service.WEBHOOK, "/admin/api/webhooks/doctor/" + s, null)
                .map(a -> Paging.back(
                        "/doctor?subject=" + Paging.enc(s),
                        a,
                        "Repairs applied: " + Paging.field(a.body(), "repaired")));
    }

    static UUID uuid(String s) {
        try {
            return s == null ? null : UUID.fromString(s.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
