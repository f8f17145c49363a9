package org.villagehomepage.payments.webhook.reconcile;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.common.http.RequestIds;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.security.Roles;
import org.villagehomepage.payments.webhook.amounts.AmountReconciliation;
import org.villagehomepage.payments.webhook.audit.AuditOutbox;

/** Ops (super_admin): reconcile events now instead of waiting for the schedule; reconcile amounts. */
@Path("/admin/api/webhooks/reconciliation")
@RolesAllowed(Roles.SUPER_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class ReconciliationResource {

    private final Reconciliation reconciliation;
    private final AmountReconciliation amounts;
    private final AuditOutbox audit;
    private final Pool pool;
    private final Clock clock;
    private final JsonWebToken caller;

    public ReconciliationResource(
            Reconciliation reconciliation,
            AmountReconciliation amounts,
            AuditOutbox audit,
            Pool pool,
            Clock clock,
            JsonWebToken caller) {
        this.reconciliation = reconciliation;
        this.amounts = amounts;
        this.audit = audit;
        this.pool = pool;
        this.clock = clock;
        this.caller = caller;
    }

    /**
     * Amount-level reconciliation of [from, to] (UTC days, default: the last 7 days up to today);
     * {@code format=csv} for the spreadsheet. The run is audited (it reads payment data).
     */
    @GET
    @Path("/amounts")
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    public Uni<Response> amounts(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("format") @DefaultValue("json") String format) {
        if (!format.equals("json") && !format.equals("csv")) {
            throw new ProblemException(ProblemType.VALIDATION, "format must be json or csv");
        }
        LocalDate end = day("to", to, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        LocalDate start = day("from", from, end.minusDays(6));
        String admin = caller.getSubject();
        String requestId = RequestIds.current();
        return amounts.run(start, end)
                .call(report -> pool.withTransaction(connection -> audit.record(
                        connection,
                        List.of(new AuditOutbox.Entry(
                                UUID.randomUUID(),
                                "reconciliation.amounts_checked",
                                "success",
                                "admin",
                                admin,
                                null,
                                requestId,
                                null,
                                Map.of(
                                        "from",
                                        start.toString(),
                                        "to",
                                        end.toString(),
                                        "format",
                                        format,
                                        "differences",
                                        Integer.toString(report.differenceCount())))),
                        requestId)))
                .map(report -> format.equals("csv")
                        ? Response.ok(report.csv(), "text/csv; charset=utf-8")
                                .header(
                                        "Content-Disposition",
                                        "attachment; filename=\"reconciliation-" + start + "-" + end + ".csv\"")
                                .build()
                        : Response.ok(report, MediaType.APPLICATION_JSON).build());
    }

    private static LocalDate day(String name, String value, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemType.VALIDATION, name + " must be a date (YYYY-MM-DD)");
        }
    }

    /** 409 while another run holds the checkpoint. */
    @POST
    @Path("/run")
    public Uni<ReconciliationReport> run() {
        return reconciliation.run(new Reconciliation.Trigger("admin", caller.getSubject(), RequestIds.current()));
    }
}
