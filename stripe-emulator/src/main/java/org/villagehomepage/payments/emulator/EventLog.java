package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Stores events, remembers which endpoints each one is owed to and which answered 2xx
 * ({@code pending_webhooks}, {@code delivery_success}), and hands new events to the dispatcher.
 */
final class EventLog {
    /** The API version stripe-java 33.3.0 pins ({@code com.stripe.Stripe.API_VERSION}); events carry it. */
    static final String API_VERSION = StripeEmulator.API_VERSION;

    /** An event at rest: its payload as sent (UTF-8 bytes, deflated: {@link Packed}), parsed again only when read through the API. */
    private static final class Entry {
        final String type;
        final long created;
        final byte[] payload;
        final Set<String> targets;
        final Set<String> delivered = new LinkedHashSet<>(2);

        Entry(String type, long created, byte[] payload, Set<String> targets) {
            this.type = type;
            this.created = created;
            this.payload = payload;
            this.targets = targets;
        }
    }

    private final EmulatorClock clock;
    private final IdGenerator ids;
    private final WebhookEndpointRegistry endpoints;
    private WebhookDispatcher dispatcher;
    // oldest evicted first once the payloads exceed the budget (pending deliveries share the payload bytes
    // and have a budget of their own in the dispatcher)
    private final Retention<Entry> events;

    EventLog(EmulatorClock clock, IdGenerator ids, WebhookEndpointRegistry endpoints, long budgetBytes) {
        this.events = new Retention<>(budgetBytes, e -> e.payload.length + 200L);
        this.clock = clock;
        this.ids = ids;
        this.endpoints = endpoints;
    }

    void attach(WebhookDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** Records an event for a state change; {@code object} must already be a snapshot. */
    ObjectNode publish(String type, ObjectNode object, ObjectNode previousAttributes, RequestContext ctx) {
        List<WebhookEndpointRegistry.Endpoint> targets = endpoints.matching(type);
        ObjectNode event = Json.object();
        String id = ids.next("evt");
        event.put("id", id);
        event.put("object", "event");
        event.put("api_version", API_VERSION);
        event.put("created", clock.nowSeconds());
        ObjectNode data = event.putObject("data");
        data.set("object", object);
        if (previousAttributes != null && !previousAttributes.isEmpty()) {
            data.set("previous_attributes", previousAttributes);
        }
        event.put("livemode", false);
        event.put("pending_webhooks", targets.size());
        ObjectNode request = event.putObject("request");
        request.put("id", ctx.requestId());
        request.put("idempotency_key", ctx.idempotencyKey());
        event.put("type", type);

        Set<String> targetIds = new LinkedHashSet<>();
        targets.forEach(t -> targetIds.add(t.id()));
        // one byte array for the stored event and its pending deliveries
        byte[] payload = Packed.pack(Json.writePretty(event).getBytes(StandardCharsets.UTF_8));
        synchronized (this) {
            events.put(id, new Entry(type, event.get("created").asLong(), payload, targetIds));
            // queued while holding the monitor, so deliveries are queued in event order
            dispatcher.enqueue(id, type, payload, targets);
        }
        return event;
    }

    synchronized void delivered(String eventId, String endpointId) {
        Entry e = events.get(eventId);
        if (e != null && e.targets.contains(endpointId)) {
            e.delivered.add(endpointId);
        }
    }

    synchronized ObjectNode get(String id) {
        Entry e = events.get(id);
        return e == null ? null : render(e);
    }

    /** Newest first, filtered by the list params of {@code GET /v1/events}. */
    synchronized List<ObjectNode> list(JsonNode params) {
        Predicate<String> typeFilter = typeFilter(params);
        Predicate<ObjectNode> created = Paging.createdFilter(params);
        Boolean deliverySuccess = Params.optionalBool(params, "delivery_success");
        List<ObjectNode> out = new ArrayList<>();
        ObjectNode probe = Json.object();
        for (Entry e : events.entries().reversed().values()) {
            probe.put("created", e.created);
            if (!typeFilter.test(e.type) || !created.test(probe)) {
                continue;
            }
            if (deliverySuccess != null && deliverySuccess != e.delivered.containsAll(e.targets)) {
                continue;
            }
            out.add(render(e));
        }
        return out;
    }

    synchronized void reset() {
        events.clear();
    }

    synchronized Retention.Kept retention() {
        return events.kept();
    }

    private ObjectNode render(Entry e) {
        try {
            return renderParsed(e);
        } catch (java.io.IOException x) {
            throw new IllegalStateException("cannot read a stored event", x);
        }
    }

    private ObjectNode renderParsed(Entry e) throws java.io.IOException {
        ObjectNode copy = (ObjectNode) Json.MAPPER.readTree(Packed.open(e.payload));
        Set<String> owed = new LinkedHashSet<>(e.targets);
        owed.removeAll(e.delivered);
        copy.put("pending_webhooks", owed.size());
        return copy;
    }

    private static Predicate<String> typeFilter(JsonNode params) {
        String type = Params.string(params, "type");
        List<String> types = Params.strings(params, "types");
        if (type != null && !type.isEmpty() && !types.isEmpty()) {
            throw ApiException.invalidRequest("You cannot pass both type and types.", null, "types");
        }
        if (type != null && !type.isEmpty()) {
            return wildcard(type);
        }
        if (!types.isEmpty()) {
            if (types.size() > 20) {
                throw ApiException.invalidRequest("types accepts at most 20 values.", null, "types");
            }
            return types::contains;
        }
        return t -> true;
    }

    /** Stripe's "payment_intent.*" style: '*' matches any run of characters. */
    private static Predicate<String> wildcard(String pattern) {
        if (!pattern.contains("*")) {
            return pattern::equals;
        }
        Pattern compiled = Pattern.compile(buildRegex(pattern));
        return t -> compiled.matcher(t).matches();
    }

    private static String buildRegex(String pattern) {
        String[] parts = pattern.split("\\*", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            re.append(Pattern.quote(parts[i]));
        }
        return re.toString();
    }
}
