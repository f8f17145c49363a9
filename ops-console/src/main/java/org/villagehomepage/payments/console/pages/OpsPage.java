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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.villagehomepage.payments.console.ConsoleConfig;
import org.villagehomepage.payments.console.auth.Csrf;
import org.villagehomepage.payments.console.auth.CurrentOperator;
import org.villagehomepage.payments.console.client.Answer;
import org.villagehomepage.payments.console.client.Services;
import org.villagehomepage.payments.console.client.Services.Service;

/**
 * Ops: the suite at a glance (health, intake, outbox per destination, reconciliation, kill switch),
 * dead outbox messages with retry, webhook events with replay.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class OpsPage {

    static final List<String> EVENT_STATUSES = List.of("received", "dispatched", "processed", "failed", "dead");
    private static final Pattern SAMPLE =
            Pattern.compile("^(homepage_[a-z_]+)(\\{[^}]*\\})? ([0-9.eE+-]+|NaN)$", Pattern.MULTILINE);
    private static final Pattern DESTINATION = Pattern.compile("destination=\"([^\"]+)\"");

    /** Previous intake sample (time, acknowledged webhooks) for the rate between two page loads. */
    private final AtomicReference<double[]> lastIntake = new AtomicReference<>();

    private final Services services;
    private final CurrentOperator operator;
    private final Csrf csrf;
    private final ConsoleConfig config;
    private final Template ops;
    private final Template outbox;
    private final Template webhooks;

    public OpsPage(
            Services services,
            CurrentOperator operator,
            Csrf csrf,
            ConsoleConfig config,
            @Location("ops.html") Template ops,
            @Location("outbox.html") Template outbox,
            @Location("webhooks.html") Template webhooks) {
        this.services = services;
        this.operator = operator;
        this.csrf = csrf;
        this.config = config;
        this.ops = ops;
        this.outbox = outbox;
        this.webhooks = webhooks;
    }

    public record ServiceRow(
            String name,
            String url,
            boolean up,
            Map<String, Double> pending,
            Map<String, Double> lag,
            Map<String, Double> dead) {}

    @GET
    public Uni<TemplateInstance> overview(@QueryParam("msg") String msg, @QueryParam("err") String err) {
        List<Uni<ServiceRow>> rows = new ArrayList<>();
        for (Service s : Service.values()) {
            rows.add(Uni.combine()
                    .all()
                    .unis(services.probe(s, "/q/health/ready"), services.probe(s, "/q/metrics"))
                    .asTuple()
                    .map(t -> row(s, t.getItem1(), t.getItem2())));
        }
        Uni<List<ServiceRow>> health = Uni.join().all(rows).andFailFast();
        Uni<Answer> metrics = services.probe(Service.WEBHOOK, "/q/metrics");
        Uni<Answer> killSwitch =
                services.get(operator.get(), Service.CHECKOUT, "/admin/api/marketplace/checkout-switch");
        return Uni.combine().all().unis(health, metrics, killSwitch).asTuple().map(t -> {
            Map<String, Double> webhook = samples(t.getItem2().body());
            Double acknowledged = webhook.get("homepage_webhooks_ack_duration_seconds_count");
            Double rate = intakeRate(acknowledged);
            Double lastRun = webhook.get("homepage_reconciliation_amount_last_run_timestamp_seconds");
            return ops.data("operator", operator.get())
                    .data("services", t.getItem1())
                    .data("acknowledged", acknowledged)
                    .data("intakeRate", rate)
                    .data(
                            "reconciledAt",
                            lastRun == null || lastRun == 0
                                    ? null
                                    : Instant.ofEpochSecond(lastRun.longValue()).toString())
                    .data("differences", webhook.get("homepage_reconciliation_amount_differences"))
                    .data("killSwitch", t.getItem3().body())
                    .data("killSwitchError", t.getItem3().error())
                    .data("grafana", config.grafanaUrl().orElse(null))
                    .data("msg", msg)
                    .data("error", err);
        });
    }

    @POST
    @Path("/checkout-switch")
    public Uni<Response> checkoutSwitch(
            @FormParam("accepting") String accepting,
            @FormParam("reason") String reason,
            @FormParam(Csrf.FIELD) String csrfToken) {
        csrf.verify(csrfToken);
        boolean on = "true".equals(accepting);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepting", on);
        body.put("reason", reason == null ? "" : reason);
        return services.put(operator.forAction(), Service.CHECKOUT, "/admin/api/marketplace/checkout-switch", body)
                .map(a -> Paging.back("/", a, on ? "Checkout accepting payments" : "Checkout stopped"));
    }

    @POST
    @Path("/reconciliation/run")
    public Uni<Response> reconcile(@FormParam(Csrf.FIELD) String csrfToken) {
        csrf.verify(csrfToken);
        return services.post(operator.forAction(), Service.WEBHOOK, "/admin/api/webhooks/reconciliation/run", Map.of())
                .map(a -> Paging.back(
                        "/", a, "Reconciliation: " + Paging.field(a.body(), "found") + " missed events found"));
    }

    @GET
    @Path("/reconciliation/amounts")
    public Uni<Response> amounts(@QueryParam("from") String from, @QueryParam("to") String to) {
        String query = "/admin/api/webhooks/reconciliation/amounts?format=csv"
                + (from == null || from.isBlank() ? "" : "&from=" + Paging.enc(from))
                + (to == null || to.isBlank() ? "" : "&to=" + Paging.enc(to));
        return services.getText(operator.get(), Service.WEBHOOK, query)
                .map(a -> a.ok()
                        ? Response.ok(a.body(), "text/csv; charset=utf-8")
                                .header("Content-Disposition", "attachment; filename=\"reconciliation.csv\"")
                                .build()
                        : Paging.back("/", a, ""));
    }

    @GET
    @Path("/outbox")
    public Uni<TemplateInstance> dead(
            @QueryParam("page") Integer pageParam, @QueryParam("msg") String msg, @QueryParam("err") String err) {
        int page = Paging.page(pageParam);
        int size = config.pageSize();
        List<Uni<Map<String, Object>>> perService = new ArrayList<>();
        for (Service s : Service.values()) {
            perService.add(services.get(operator.get(), s, "/admin/api/outbox/dead?" + Paging.window(page, size))
                    .map(a -> {
                        List<?> rows = Paging.rows(a);
                        Map<String, Object> group = new LinkedHashMap<>();
                        group.put("service", s.name().toLowerCase());
                        group.put("rows", Paging.slice(rows, size));
                        group.put("hasNext", Paging.hasNext(rows, size));
                        group.put("error", a.error());
                        return group;
                    }));
        }
        return Uni.join()
                .all(perService)
                .andFailFast()
                // One page number for every service's list: Next while any of them has more.
                .map(groups -> outbox.data("operator", operator.get())
                        .data("groups", groups)
                        .data("page", page)
                        .data("hasNext", groups.stream().anyMatch(g -> Boolean.TRUE.equals(g.get("hasNext"))))
                        .data("msg", msg)
                        .data("error", err));
    }

    @POST
    @Path("/outbox/{service}/{id}/retry")
    public Uni<Response> retryDead(
            @PathParam("service") String service,
            @PathParam("id") java.util.UUID id,
            @FormParam(Csrf.FIELD) String csrfToken) {
        csrf.verify(csrfToken);
        Service s = service(service);
        return services.post(operator.forAction(), s, "/admin/api/outbox/" + id + "/retry", null)
                .map(a -> Paging.back("/outbox", a, "Message " + id + " queued again"));
    }

    @GET
    @Path("/webhooks")
    public Uni<TemplateInstance> events(
            @QueryParam("status") String status,
            @QueryParam("type") String type,
            @QueryParam("page") Integer pageParam,
            @QueryParam("msg") String msg,
            @QueryParam("err") String err) {
        String wanted = status == null || status.isBlank() ? "" : status;
        if (!wanted.isEmpty() && !EVENT_STATUSES.contains(wanted)) {
            throw new BadRequestException("unknown status");
        }
        String eventType = type == null ? "" : type.strip();
        if (!eventType.matches("[a-z_.]{0,100}")) {
            throw new BadRequestException("unknown type");
        }
        int page = Paging.page(pageParam);
        int size = config.pageSize();
        String query = "/admin/api/webhooks/events?" + Paging.window(page, size)
                + (wanted.isEmpty() ? "" : "&status=" + wanted) + (eventType.isEmpty() ? "" : "&type=" + eventType);
        return services.get(operator.get(), Service.WEBHOOK, query).map(a -> {
            List<?> rows = Paging.rows(a);
            return webhooks.data("operator", operator.get())
                    .data("status", wanted)
                    .data("type", eventType)
                    .data("statuses", EVENT_STATUSES)
                    .data("page", page)
                    .data("rows", Paging.slice(rows, size))
                    .data("hasNext", Paging.hasNext(rows, size))
                    .data("error", a.error() != null ? a.error() : err)
                    .data("msg", msg);
        });
    }

    @POST
    @Path("/webhooks/{id}/replay")
    public Uni<Response> replay(
            @PathParam("id") String id, @FormParam("back") String back, @FormParam(Csrf.FIELD) String csrfToken) {
        csrf.verify(csrfToken);
        if (!id.matches("evt_[A-Za-z0-9_]{1,200}")) {
            throw new BadRequestException("not an event id");
        }
        String target = back != null && back.startsWith("/webhooks") && !back.startsWith("//") && back.length() < 300
                ? back.replaceAll("[&?](msg|err)=[^&]*", "")
                : "/webhooks";
        return services.post(
                        operator.forAction(), Service.WEBHOOK, "/admin/api/webhooks/events/" + id + "/replay", null)
                .map(a -> Paging.back(target, a, "Event " + id + " replayed"));
    }

    private static Service service(String name) {
        for (Service s : Service.values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new BadRequestException("unknown service");
    }

    private ServiceRow row(Service s, Answer health, Answer metrics) {
        Map<String, Double> pending = new TreeMap<>();
        Map<String, Double> lag = new TreeMap<>();
        Map<String, Double> dead = new TreeMap<>();
        if (metrics.body() instanceof String text) {
            Matcher m = SAMPLE.matcher(text);
            while (m.find()) {
                Map<String, Double> into = switch (m.group(1)) {
                    case "homepage_outbox_pending_messages" -> pending;
                    case "homepage_outbox_lag_seconds" -> lag;
                    case "homepage_outbox_dead_messages" -> dead;
                    default -> null;
                };
                if (into != null && m.group(2) != null) {
                    Matcher d = DESTINATION.matcher(m.group(2));
                    if (d.find()) {
                        into.put(d.group(1), parse(m.group(3)));
                    }
                }
            }
        }
        return new ServiceRow(
                s.name().toLowerCase() + "-service", services.baseUrl(s), health.status() == 200, pending, lag, dead);
    }

    /** Unlabelled samples (sums over labels for labelled ones) by metric name. */
    static Map<String, Double> samples(Object text) {
        Map<String, Double> result = new TreeMap<>();
        if (text instanceof String s) {
            Matcher m = SAMPLE.matcher(s);
            while (m.find()) {
                result.merge(m.group(1), parse(m.group(3)), Double::sum);
            }
        }
        return result;
    }

    private Double intakeRate(Double acknowledged) {
        if (acknowledged == null) {
            return null;
        }
        double now = System.nanoTime() / 1e9;
        double[] previous = lastIntake.getAndSet(new double[] {now, acknowledged});
        if (previous == null || now - previous[0] < 1 || acknowledged < previous[1]) {
            return null;
        }
        return Math.round((acknowledged - previous[1]) / (now - previous[0]) * 60 * 10) / 10.0;
    }

    private static double parse(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
