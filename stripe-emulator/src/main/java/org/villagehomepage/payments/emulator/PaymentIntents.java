package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/** PaymentIntents and the charges their confirmation makes. Callers hold the ledger lock. */
final class PaymentIntents {
    private static final Set<String> CANCELABLE = Set.of(
            "requires_payment_method", "requires_capture", "requires_confirmation", "requires_action", "processing");
    private static final Set<String> CONFIRMABLE =
            Set.of("requires_payment_method", "requires_confirmation", "requires_action");
    private static final Set<String> CANCELLATION_REASONS =
            Set.of("duplicate", "fraudulent", "requested_by_customer", "abandoned");

    private final Ledger ledger;
    private final Charges charges;
    private final Disputes disputes;

    PaymentIntents(Ledger ledger, Charges charges, Disputes disputes) {
        this.ledger = ledger;
        this.charges = charges;
        this.disputes = disputes;
    }

    ObjectNode create(JsonNode p, RequestContext ctx) {
        long amount = Params.requiredAmount(p, "amount");
        String currency = Params.currency(p);
        String paymentMethod = Params.string(p, "payment_method");
        if (paymentMethod != null && !paymentMethod.isEmpty()) {
            TestCards.forPaymentMethod(paymentMethod);
        } else {
            paymentMethod = null;
        }
        List<String> types = Params.strings(p, "payment_method_types");
        JsonNode apm = p.get("automatic_payment_methods");
        if (!types.isEmpty() && apm != null && Params.bool(apm, "enabled")) {
            throw ApiException.invalidRequest(
                    "You may only specify one of these parameters: automatic_payment_methods, "
                            + "payment_method_types.",
                    null,
                    "automatic_payment_methods");
        }
        String id = ledger.ids.next("pi");
        ObjectNode pi = Json.object();
        pi.put("id", id);
        pi.put("object", "payment_intent");
        pi.put("amount", amount);
        pi.put("amount_capturable", 0);
        pi.putObject("amount_details").putObject("tip");
        pi.put("amount_received", 0);
        pi.putNull("application");
        pi.putNull("application_fee_amount");
        if (types.isEmpty()) {
            // Stripe's default for current API versions: automatic payment methods, card among them
            ObjectNode a = pi.putObject("automatic_payment_methods");
            a.put("allow_redirects", "always");
            a.put("enabled", true);
            types = List.of("card");
        } else {
            pi.putNull("automatic_payment_methods");
        }
        pi.putNull("canceled_at");
        pi.putNull("cancellation_reason");
        pi.put("capture_method", captureMethod(p));
        pi.put("client_secret", id + "_secret_" + ledger.ids.random(25));
        pi.put("confirmation_method", "automatic");
        pi.put("created", ledger.clock.nowSeconds());
        pi.put("currency", currency);
        pi.put("customer", Params.string(p, "customer"));
        pi.putNull("customer_account");
        pi.put("description", Params.string(p, "description"));
        pi.putNull("excluded_payment_method_types");
        pi.putNull("last_payment_error");
        pi.putNull("latest_charge");
        pi.put("livemode", false);
        pi.putNull("managed_payments");
        pi.putObject("metadata");
        Params.mergeMetadata(pi, p);
        pi.putNull("next_action");
        pi.putNull("on_behalf_of");
        pi.put("payment_method", paymentMethod);
        pi.putNull("payment_method_configuration_details");
        ObjectNode pmo = pi.putObject("payment_method_options");
        ObjectNode card = pmo.putObject("card");
        card.putNull("installments");
        card.putNull("mandate_options");
        card.putNull("network");
        card.put("request_three_d_secure", "automatic");
        ArrayNode typesNode = pi.putArray("payment_method_types");
        types.forEach(typesNode::add);
        pi.putNull("processing");
        pi.put("receipt_email", Params.string(p, "receipt_email"));
        pi.putNull("review");
        pi.put("setup_future_usage", Params.string(p, "setup_future_usage"));
        setShipping(pi, p);
        pi.putNull("source");
        pi.put("statement_descriptor", Params.string(p, "statement_descriptor"));
        pi.put("statement_descriptor_suffix", Params.string(p, "statement_descriptor_suffix"));
        pi.put("status", paymentMethod == null ? "requires_payment_method" : "requires_confirmation");
        pi.putNull("transfer_data");
        pi.put("transfer_group", Params.string(p, "transfer_group"));
        ledger.put(pi);
        ledger.publish("payment_intent.created", pi, null, ctx);
        if (Params.bool(p, "confirm")) {
            return confirm(id, p, ctx);
        }
        return pi;
    }

    ObjectNode retrieve(String id) {
        return require(id);
    }

    ObjectNode update(String id, JsonNode p) {
        ObjectNode pi = require(id);
        String status = pi.get("status").asText();
        boolean settled = status.equals("succeeded") || status.equals("canceled");
        if (settled && (p.has("amount") || p.has("currency") || p.has("payment_method"))) {
            throw ApiException.unexpectedState(
                    "You cannot update this PaymentIntent because it has a status of " + status + ".");
        }
        Long amount = Params.amount(p, "amount");
        if (amount != null) {
            pi.put("amount", amount);
        }
        if (p.has("currency")) {
            pi.put("currency", Params.currency(p));
        }
        for (String field : List.of(
                "description",
                "receipt_email",
                "statement_descriptor",
                "statement_descriptor_suffix",
                "transfer_group",
                "setup_future_usage",
                "customer")) {
            if (p.has(field)) {
                String v = Params.string(p, field);
                pi.put(field, v == null || v.isEmpty() ? null : v);
            }
        }
        String pm = Params.string(p, "payment_method");
        if (pm != null && !pm.isEmpty()) {
            TestCards.forPaymentMethod(pm);
            pi.put("payment_method", pm);
            if (status.equals("requires_payment_method")) {
                pi.put("status", "requires_confirmation");
            }
        }
        if (p.has("shipping")) {
            setShipping(pi, p);
        }
        Params.mergeMetadata(pi, p);
        return pi;
    }

    ObjectNode confirm(String id, JsonNode p, RequestContext ctx) {
        ObjectNode pi = require(id);
        String status = pi.get("status").asText();
        if (!CONFIRMABLE.contains(status)) {
            throw ApiException.unexpectedState("You cannot confirm this PaymentIntent because it has a status of "
                    + status + ". Only a PaymentIntent with one of the following statuses may be confirmed: "
                    + "requires_payment_method, requires_confirmation, requires_action.");
        }
        String pm = Params.string(p, "payment_method");
        if (pm == null || pm.isEmpty()) {
            pm = pi.path("payment_method").isTextual()
                    ? pi.get("payment_method").asText()
                    : null;
        }
        if (pm == null) {
            throw new ApiException(
                    400,
                    "invalid_request_error",
                    "payment_intent_unexpected_state",
                    "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the "
                            + "PaymentIntent with " + id + ", specify a payment method attached to this customer "
                            + "along with the customer ID.",
                    "payment_method");
        }
        if (p.has("receipt_email")) {
            pi.put("receipt_email", Params.string(p, "receipt_email"));
        }
        if (p.has("shipping")) {
            setShipping(pi, p);
        }
        return pay(pi, pm, TestCards.forPaymentMethod(pm), ctx);
    }

    /** Charges the intent's amount: success, or a decline recorded on the intent and answered as a 402. */
    ObjectNode pay(ObjectNode pi, String pm, TestCards.Outcome outcome, RequestContext ctx) {
        ObjectNode charge = charges.create(pi, pm, outcome);
        pi.put("latest_charge", charge.get("id").asText());
        if (outcome.success()) {
            pi.put("payment_method", pm);
            pi.putNull("last_payment_error");
            pi.putNull("next_action");
            if (pi.get("capture_method").asText().equals("manual")) {
                // authorised only: the money moves on capture
                pi.put("status", "requires_capture");
                pi.put("amount_capturable", pi.get("amount").asLong());
                ledger.publish("charge.succeeded", charge, null, ctx);
                ledger.publish("payment_intent.amount_capturable_updated", pi, null, ctx);
                return pi;
            }
            pi.put("status", "succeeded");
            pi.put("amount_received", pi.get("amount").asLong());
            ledger.publish("charge.succeeded", charge, null, ctx);
            ledger.publish("payment_intent.succeeded", pi, null, ctx);
            if (outcome.dispute()) {
                disputes.open(charge, "fraudulent", null, ctx);
            }
            return pi;
        }
        ObjectNode error = Json.object();
        error.put("charge", charge.get("id").asText());
        error.put("code", outcome.code());
        error.put("decline_code", outcome.declineCode());
        error.put(
                "doc_url",
                "https://stripe.com/docs/error-codes/" + outcome.code().replace('_', '-'));
        error.put("message", outcome.message());
        error.set(
                "payment_method",
                Charges.paymentMethodObject(pm, outcome, pi.get("created").asLong()));
        error.put("type", "card_error");
        pi.put("status", "requires_payment_method");
        pi.set("last_payment_error", error);
        pi.putNull("payment_method");
        ledger.publish("charge.failed", charge, null, ctx);
        ledger.publish("payment_intent.payment_failed", pi, null, ctx);
        ObjectNode extra = Json.object();
        extra.put("charge", charge.get("id").asText());
        extra.put("decline_code", outcome.declineCode());
        extra.put("doc_url", error.get("doc_url").asText());
        extra.set("payment_intent", pi.deepCopy());
        extra.set("payment_method", error.get("payment_method").deepCopy());
        throw new ApiException(402, "card_error", outcome.code(), outcome.message(), null, extra);
    }

    /** Captures an authorised (capture_method=manual) intent, fully or for {@code amount_to_capture}. */
    ObjectNode capture(String id, JsonNode p, RequestContext ctx) {
        ObjectNode pi = require(id);
        String status = pi.get("status").asText();
        if (!status.equals("requires_capture")) {
            throw ApiException.unexpectedState("This PaymentIntent could not be captured because it has a status of "
                    + status + ". Only a PaymentIntent with one of the following statuses may be captured: "
                    + "requires_capture.");
        }
        long capturable = pi.get("amount_capturable").asLong();
        Long requested = Params.amount(p, "amount_to_capture");
        long amount = requested == null ? capturable : requested;
        if (amount > capturable) {
            throw ApiException.invalidRequest(
                    "The amount to capture (" + amount + ") is greater than the amount " + "capturable (" + capturable
                            + ").",
                    "amount_too_large",
                    "amount_to_capture");
        }
        Params.mergeMetadata(pi, p);
        ObjectNode charge = charges.require(pi.get("latest_charge").asText());
        ObjectNode before = charge.deepCopy();
        charge.put("captured", true);
        charge.put("amount_captured", amount);
        if (charge.has("balance_transaction")
                && charge.get("balance_transaction").isNull()) {
            charge.put("balance_transaction", ledger.ids.next("txn"));
        }
        pi.put("status", "succeeded");
        pi.put("amount_received", amount);
        pi.put("amount_capturable", 0);
        ledger.publish("charge.captured", charge, Ledger.diff(before, charge), ctx);
        ledger.publish("payment_intent.succeeded", pi, null, ctx);
        return pi;
    }

    ObjectNode cancel(String id, JsonNode p, RequestContext ctx) {
        ObjectNode pi = require(id);
        String status = pi.get("status").asText();
        if (!CANCELABLE.contains(status)) {
            throw ApiException.unexpectedState("You cannot cancel this PaymentIntent because it has a status of "
                    + status + ". Only a PaymentIntent with one of the following statuses may be canceled: "
                    + String.join(", ", CANCELABLE) + ".");
        }
        String reason = Params.oneOf(p, "cancellation_reason", CANCELLATION_REASONS);
        if (status.equals("requires_capture")) {
            // cancelling an authorisation releases the held amount, which Stripe reports as a refund
            ObjectNode charge = charges.require(pi.get("latest_charge").asText());
            ObjectNode before = charge.deepCopy();
            charge.put("amount_refunded", charge.get("amount").asLong());
            charge.put("refunded", true);
            ledger.publish("charge.refunded", charge, Ledger.diff(before, charge), ctx);
        }
        pi.put("status", "canceled");
        pi.put("canceled_at", ledger.clock.nowSeconds());
        pi.put("cancellation_reason", reason);
        pi.put("amount_capturable", 0);
        pi.putNull("next_action");
        ledger.publish("payment_intent.canceled", pi, null, ctx);
        return pi;
    }

    ObjectNode list(JsonNode p) {
        String customer = Params.string(p, "customer");
        List<ObjectNode> items = ledger.list(
                "payment_intent",
                Paging.createdFilter(p)
                        .and(o -> customer == null
                                || customer.equals(o.path("customer").asText(null))));
        return Paging.page(items, p, "/v1/payment_intents");
    }

    ObjectNode require(String id) {
        return ledger.require("payment_intent", id, "payment_intent", "intent");
    }

    private static String captureMethod(JsonNode p) {
        String m = Params.oneOf(p, "capture_method", Set.of("automatic", "automatic_async", "manual"));
        return m == null ? "automatic" : m;
    }

    private static void setShipping(ObjectNode pi, JsonNode p) {
        JsonNode s = p.get("shipping");
        if (s == null || s.isNull() || (s.isTextual() && s.asText().isEmpty())) {
            pi.putNull("shipping");
            return;
        }
        if (!s.isObject()) {
            throw ApiException.invalidRequest("Invalid object: shipping", "parameter_invalid_object", "shipping");
        }
        ObjectNode shipping = Json.object();
        ObjectNode address = shipping.putObject("address");
        JsonNode a = s.path("address");
        for (String f : List.of("city", "country", "line1", "line2", "postal_code", "state")) {
            address.put(f, a.hasNonNull(f) ? a.get(f).asText() : null);
        }
        shipping.put("carrier", s.hasNonNull("carrier") ? s.get("carrier").asText() : null);
        shipping.put("name", s.hasNonNull("name") ? s.get("name").asText() : null);
        shipping.put("phone", s.hasNonNull("phone") ? s.get("phone").asText() : null);
        shipping.put(
                "tracking_number",
                s.hasNonNull("tracking_number") ? s.get("tracking_number").asText() : null);
        pi.set("shipping", shipping);
    }
}
