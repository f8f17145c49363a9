package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code /v1} route table: maps method + path to the object services, under the ledger lock. */
final class StripeApi {

    /** One API call after auth, fault and idempotency handling. */
    record Call(List<String> pathParams, ObjectNode params, RequestContext ctx) {
        String id() {
            return pathParams.get(0);
        }
    }

    interface Handler {
        ObjectNode handle(Call call);
    }

    record Route(String method, String template, Pattern pattern, Handler handler) {}

    record Match(Route route, List<String> pathParams) {}

    private static final Set<String> KNOWN_EVENT_TYPES = Set.of(
            "*",
            "payment_intent.created",
            "payment_intent.succeeded",
            "payment_intent.payment_failed",
            "payment_intent.canceled",
            "payment_intent.amount_capturable_updated",
            "charge.captured",
            "charge.succeeded",
            "charge.failed",
            "charge.refunded",
            "refund.created",
            "refund.updated",
            "refund.failed",
            "charge.refund.updated",
            "charge.dispute.created",
            "charge.dispute.closed");

    private final List<Route> routes = new ArrayList<>();
    private final Ledger ledger;
    private final WebhookEndpointRegistry endpoints;

    StripeApi(
            Ledger ledger,
            PaymentIntents intents,
            Charges charges,
            Refunds refunds,
            Disputes disputes,
            WebhookEndpointRegistry endpoints) {
        this.ledger = ledger;
        this.endpoints = endpoints;
        add("POST", "/v1/payment_intents", c -> intents.create(c.params(), c.ctx()));
        add("GET", "/v1/payment_intents", c -> intents.list(c.params()));
        add("GET", "/v1/payment_intents/{id}", c -> intents.retrieve(c.id()));
        add("POST", "/v1/payment_intents/{id}", c -> intents.update(c.id(), c.params()));
        add("POST", "/v1/payment_intents/{id}/confirm", c -> intents.confirm(c.id(), c.params(), c.ctx()));
        add("POST", "/v1/payment_intents/{id}/cancel", c -> intents.cancel(c.id(), c.params(), c.ctx()));
        add("POST", "/v1/payment_intents/{id}/capture", c -> intents.capture(c.id(), c.params(), c.ctx()));
        add("GET", "/v1/charges", c -> charges.list(c.params()));
        add("GET", "/v1/charges/{id}", c -> charges.retrieve(c.id()));
        add("POST", "/v1/refunds", c -> refunds.create(c.params(), c.ctx()));
        add("GET", "/v1/refunds", c -> refunds.list(c.params()));
        add("GET", "/v1/refunds/{id}", c -> refunds.retrieve(c.id()));
        add("POST", "/v1/refunds/{id}", c -> refunds.update(c.id(), c.params(), c.ctx()));
        add("GET", "/v1/disputes", c -> disputes.list(c.params()));
        add("GET", "/v1/disputes/{id}", c -> disputes.retrieve(c.id()));
        add("POST", "/v1/disputes/{id}/close", c -> disputes.accept(c.id(), c.ctx()));
        add("GET", "/v1/events", c -> Paging.page(ledger.events.list(c.params()), c.params(), "/v1/events"));
        add("GET", "/v1/events/{id}", c -> {
            ObjectNode e = ledger.events.get(c.id());
            if (e == null) {
                throw ApiException.notFound("event", c.id(), "id");
            }
            return e;
        });
        add("POST", "/v1/webhook_endpoints", c -> createEndpoint(c.params()));
        add("GET", "/v1/webhook_endpoints", c -> listEndpoints(c.params()));
        add("GET", "/v1/webhook_endpoints/{id}", c -> requireEndpoint(c.id()).toJson(false));
        add("DELETE", "/v1/webhook_endpoints/{id}", c -> deleteEndpoint(c.id()));
    }

    private void add(String method, String template, Handler handler) {
        String regex = template.replace("{id}", "([^/]+)");
        // every object handler runs under the ledger lock and honours expand[]
        Handler locked = c -> ledger.locked(
                () -> Expander.expand(ledger, handler.handle(c), c.params()).deepCopy());
        routes.add(new Route(method, template, Pattern.compile(regex), locked));
    }

    /** Null when no route has this path; a route with the path but another method is a 404 too, as in Stripe. */
    Match match(String method, String path) {
        for (Route r : routes) {
            if (!r.method().equals(method)) {
                continue;
            }
            Matcher m = r.pattern().matcher(path);
            if (m.matches()) {
                List<String> params = new ArrayList<>();
                for (int i = 1; i <= m.groupCount(); i++) {
                    params.add(m.group(i));
                }
                return new Match(r, params);
            }
        }
        return null;
    }

    private ObjectNode createEndpoint(JsonNode p) {
        String url = Params.requiredString(p, "url");
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest("Invalid URL: " + url, "url_invalid", "url");
        }
        List<String> events = Params.strings(p, "enabled_events");
        if (events.isEmpty()) {
            throw ApiException.missingParam("enabled_events");
        }
        for (String e : events) {
            if (!KNOWN_EVENT_TYPES.contains(e) && !e.matches("[a-z_]+(\\.[a-z_]+)+")) {
                throw ApiException.invalidRequest("Invalid enabled_events: " + e, null, "enabled_events");
            }
        }
        ObjectNode metadata = Json.object();
        ObjectNode holder = Json.object();
        holder.set("metadata", metadata);
        Params.mergeMetadata(holder, p);
        String secret = "whsec_" + ledger.ids.random(32);
        WebhookEndpointRegistry.Endpoint e = endpoints.add(
                url,
                List.of(secret),
                events,
                ledger.clock.nowSeconds(),
                Params.string(p, "description"),
                metadata,
                Params.string(p, "api_version"),
                false);
        return e.toJson(true);
    }

    private ObjectNode listEndpoints(JsonNode p) {
        List<ObjectNode> items = new ArrayList<>();
        endpoints.list().forEach(e -> items.add(e.toJson(false)));
        return Paging.page(items, p, "/v1/webhook_endpoints");
    }

    private WebhookEndpointRegistry.Endpoint requireEndpoint(String id) {
        WebhookEndpointRegistry.Endpoint e = endpoints.get(id);
        if (e == null) {
            throw ApiException.notFound("webhook_endpoint", id, "id");
        }
        return e;
    }

    private ObjectNode deleteEndpoint(String id) {
        requireEndpoint(id);
        endpoints.remove(id);
        ObjectNode n = Json.object();
        n.put("id", id);
        n.put("object", "webhook_endpoint");
        n.put("deleted", true);
        return n;
    }
}
