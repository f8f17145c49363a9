package org.villagehomepage.payments.audit.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.audit.AuditSettings;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.security.Roles;

/**
 * Investigation queries (super_admin). Each answers a page as JSON ({@link EntryPage}) or CSV
 * ({@code format=csv} or {@code Accept: text/csv}; total in {@code X-Total-Count}), and each is
 * itself recorded as {@code audit.accessed} before the answer leaves.
 */
@Path("/admin/api/audit")
@RolesAllowed(Roles.SUPER_ADMIN)
@Produces({MediaType.APPLICATION_JSON, AuditQueryResource.CSV})
public class AuditQueryResource {

    static final String CSV = "text/csv";

    private final EntryRepository entries;
    private final AccessRecorder access;
    private final AuditSettings settings;
    private final JsonWebToken caller;
    private final ObjectMapper json;

    public AuditQueryResource(
            EntryRepository entries,
            AccessRecorder access,
            AuditSettings settings,
            JsonWebToken caller,
            ObjectMapper json) {
        this.entries = entries;
        this.access = access;
        this.settings = settings;
        this.caller = caller;
        this.json = json;
    }

    /**
     * The trail of a listing (its entries, plus those of its PaymentIntents and refunds) or of a
     * PaymentIntent (plus its refunds), oldest first.
     */
    @GET
    @Path("/trail")
    public Uni<Response> trail(
            @QueryParam("listingId") String listingId,
            @QueryParam("paymentIntentId") String paymentIntentId,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") Integer size,
            @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept,
            HttpServerRequest request) {
        String listing = Params.text("listingId", listingId, 200);
        String intent = Params.text("paymentIntentId", paymentIntentId, 200);
        if ((listing == null) == (intent == null)) {
            throw new ProblemException(ProblemType.VALIDATION, "Give exactly one of listingId and paymentIntentId");
        }
        EntryQuery query = listing != null ? entries.listingTrail(listing) : entries.paymentIntentTrail(intent);
        return answer(query, page, size, format, accept, request);
    }

    /**
     * What a user did, or what was done about them ({@code details.userId}), in the last {@code days}
     * days; investigators' own {@code audit.accessed} entries about the user are left out.
     */
    @GET
    @Path("/users/{userId}/activity")
    public Uni<Response> userActivity(
            @PathParam("userId") String userId,
            @QueryParam("days") @DefaultValue("30") int days,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") Integer size,
            @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept,
            HttpServerRequest request) {
        String user = Params.text("userId", userId, 200);
        Params.within("days", days, 1, settings.query().maxDays());
        Instant since = Instant.now().minus(days, ChronoUnit.DAYS);
        EntryQuery query = entries.userActivity(user, days, since);
        return answer(query, page, size, format, accept, request);
    }

    /** Entries by action, outcome, service, actor and occurrence time, newest first. */
    @GET
    @Path("/entries")
    public Uni<Response> search(
            @QueryParam("action") String action,
            @QueryParam("outcome") String outcome,
            @QueryParam("service") String service,
            @QueryParam("actorId") String actorId,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") Integer size,
            @QueryParam("format") String format,
            @HeaderParam(HttpHeaders.ACCEPT) String accept,
            HttpServerRequest request) {
        EntrySearch criteria = new EntrySearch(
                Params.text("action", action, 100),
                Params.text("outcome", outcome, 20),
                Params.text("service", service, 64),
                Params.text("actorId", actorId, 200),
                Params.instant("from", from),
                Params.instant("to", to));
        return answer(entries.search(criteria), page, size, format, accept, request);
    }

    private Uni<Response> answer(
            EntryQuery query, int page, Integer size, String format, String accept, HttpServerRequest request) {
        boolean csv = wantsCsv(format, accept);
        int pageSize = Params.within(
                "size",
                size == null ? settings.query().defaultPageSize() : size,
                1,
                settings.query().maxPageSize());
        Params.within("page", page, 0, 1_000_000);
        Map<String, String> recorded = new LinkedHashMap<>(query.params());
        recorded.put("page", Integer.toString(page));
        recorded.put("size", Integer.toString(pageSize));
        recorded.put("format", csv ? "csv" : "json");
        return entries.page(query, page, pageSize)
                .call(result -> access.accessed(
                        caller.getSubject(),
                        sourceIp(request),
                        query.name(),
                        recorded,
                        result.entries().size()))
                .map(result -> csv
                        ? Response.ok(CsvExport.of(result.entries(), json), CSV + ";charset=UTF-8")
                                .header(
                                        "Content-Disposition",
                                        "attachment; filename=\"audit-" + query.name() + ".csv\"")
                                .header("X-Total-Count", result.total())
                                .build()
                        : Response.ok(result, MediaType.APPLICATION_JSON)
                                .header("X-Total-Count", result.total())
                                .build());
    }

    static boolean wantsCsv(String format, String accept) {
        if (format != null) {
            return switch (format.toLowerCase(Locale.ROOT)) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw new ProblemException(ProblemType.VALIDATION, "format must be csv or json");
            };
        }
        return accept != null && accept.contains(CSV);
    }

    static String sourceIp(HttpServerRequest request) {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
