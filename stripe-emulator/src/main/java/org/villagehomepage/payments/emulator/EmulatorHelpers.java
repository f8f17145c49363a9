package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.function.Function;

/** Test helpers under {@code /_emulator}: no auth, never faulted. */
final class EmulatorHelpers {
    private final StripeEmulator emulator;
    private final Ledger ledger;
    private final PaymentIntents intents;
    private final Disputes disputes;
    private final Refunds refunds;

    EmulatorHelpers(
            StripeEmulator emulator, Ledger ledger, PaymentIntents intents, Disputes disputes, Refunds refunds) {
        this.emulator = emulator;
        this.ledger = ledger;
        this.intents = intents;
        this.disputes = disputes;
        this.refunds = refunds;
    }

    void mount(Router router) {
        router.post("/_emulator/payment_intents/:id/pay").handler(rc -> run(rc, p -> pay(rc.pathParam("id"), p)));
        router.post("/_emulator/charges/:id/dispute")
                .handler(rc -> run(
                        rc,
                        p -> ledger.locked(
                                () -> disputes.open(rc.pathParam("id"), p).deepCopy())));
        router.post("/_emulator/disputes/:id/close")
                .handler(rc -> run(
                        rc,
                        p -> ledger.locked(
                                () -> disputes.close(rc.pathParam("id"), p).deepCopy())));
        router.post("/_emulator/refunds/:id/fail")
                .handler(rc -> run(
                        rc,
                        p -> ledger.locked(() -> refunds.fail(rc.pathParam("id"), RequestContext.NONE)
                                .deepCopy())));
        router.post("/_emulator/dashboard/refunds")
                .handler(rc -> run(
                        rc,
                        p -> ledger.locked(() -> refunds.createAsDashboard(p).deepCopy())));
        router.post("/_emulator/clock/advance").handler(rc -> run(rc, this::advance));
        router.post("/_emulator/deliveries/flush")
                .handler(rc -> run(rc, p -> {
                    emulator.flushDeliveries();
                    return status("flushed");
                }));
        router.get("/_emulator/deliveries").handler(rc -> run(rc, p -> deliveries()));
        router.get("/_emulator/faults")
                .handler(rc -> run(rc, p -> emulator.faults().toNode()));
        router.put("/_emulator/faults")
                .handler(rc -> run(rc, p -> {
                    try {
                        emulator.faults().apply(p);
                    } catch (IllegalArgumentException e) {
                        throw ApiException.invalidRequest(e.getMessage(), null, null);
                    }
                    return emulator.faults().toNode();
                }));
        router.post("/_emulator/reset")
                .handler(rc -> run(rc, p -> {
                    emulator.reset();
                    return status("reset");
                }));
        router.get("/_emulator/health")
                .handler(rc -> run(rc, p -> {
                    ObjectNode n = status("UP");
                    n.set("retention", emulator.retention());
                    return n;
                }));
    }

    private static ObjectNode status(String s) {
        ObjectNode n = Json.object();
        n.put("status", s);
        return n;
    }

    private void run(RoutingContext rc, Function<JsonNode, ObjectNode> action) {
        try {
            ApiHandler.send(rc, 200, Json.writePretty(action.apply(body(rc))));
        } catch (ApiException e) {
            ApiHandler.send(rc, e);
        }
    }

    /** JSON or form body, as the brief allows both. */
    private static JsonNode body(RoutingContext rc) {
        String text = RawBody.text(rc);
        if (text == null || text.isBlank()) {
            return FormParser.parse(rc.request().query());
        }
        String type = rc.request().getHeader("Content-Type");
        if ((type != null && type.contains("json")) || text.trim().startsWith("{")) {
            JsonNode n = Json.read(text);
            if (!n.isObject()) {
                throw ApiException.invalidRequest("Body must be a JSON object.", null, null);
            }
            return n;
        }
        return FormParser.parse(text);
    }

    /** Like Stripe.js confirming in the browser: answers with the intent whatever the card did. */
    private ObjectNode pay(String id, JsonNode p) {
        String pm = TestCards.paymentMethodForHelperCard(Params.string(p, "card"));
        return ledger.locked(() -> {
            ObjectNode pi = intents.require(id);
            String status = pi.get("status").asText();
            if (!status.equals("requires_payment_method")
                    && !status.equals("requires_confirmation")
                    && !status.equals("requires_action")) {
                throw ApiException.unexpectedState(
                        "You cannot pay this PaymentIntent because it has a status of " + status + ".");
            }
            try {
                intents.pay(pi, pm, TestCards.forPaymentMethod(pm), RequestContext.NONE);
            } catch (ApiException declined) {
                // the decline is recorded on the intent, which is what the caller looks at
            }
            return pi.deepCopy();
        });
    }

    private ObjectNode advance(JsonNode p) {
        JsonNode seconds = p.get("seconds");
        if (seconds == null || !seconds.asText().matches("\\d+")) {
            throw ApiException.invalidRequest("seconds must be a non-negative integer", null, "seconds");
        }
        emulator.advanceClock(Duration.ofSeconds(Long.parseLong(seconds.asText())));
        ObjectNode n = Json.object();
        n.put("now", ledger.clock.nowSeconds());
        return n;
    }

    private ObjectNode deliveries() {
        ObjectNode n = Json.object();
        n.put("object", "list");
        ArrayNode data = n.putArray("data");
        for (DeliveryAttempt a : emulator.deliveries()) {
            ObjectNode d = data.addObject();
            d.put("event_id", a.eventId());
            d.put("event_type", a.eventType());
            d.put("endpoint_id", a.endpointId());
            d.put("endpoint_url", a.endpointUrl());
            d.put("attempt", a.attempt());
            if (a.httpStatus() == null) {
                d.putNull("http_status");
            } else {
                d.put("http_status", a.httpStatus());
            }
            d.put("error", a.error());
            d.put("timestamp", a.timestamp().toString());
            d.put("dropped", a.dropped());
        }
        return n;
    }
}
