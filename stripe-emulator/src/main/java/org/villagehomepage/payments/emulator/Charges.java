package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Charges made by confirming a PaymentIntent. Callers hold the ledger lock. */
final class Charges {
    private final Ledger ledger;

    Charges(Ledger ledger) {
        this.ledger = ledger;
    }

    ObjectNode create(ObjectNode pi, String pm, TestCards.Outcome outcome) {
        String id = ledger.ids.next("ch");
        long amount = pi.get("amount").asLong();
        boolean ok = outcome.success();
        ObjectNode ch = Json.object();
        ch.put("id", id);
        ch.put("object", "charge");
        ch.put("amount", amount);
        boolean capture = ok && !pi.get("capture_method").asText().equals("manual");
        ch.put("amount_captured", capture ? amount : 0);
        ch.put("amount_refunded", 0);
        ch.putNull("application");
        ch.putNull("application_fee");
        ch.putNull("application_fee_amount");
        ch.put(
                "balance_transaction",
                ok && !pi.get("capture_method").asText().equals("manual") ? ledger.ids.next("txn") : null);
        ObjectNode billing = ch.putObject("billing_details");
        ObjectNode address = billing.putObject("address");
        for (String f : List.of("city", "country", "line1", "line2", "postal_code", "state")) {
            address.putNull(f);
        }
        billing.putNull("email");
        billing.putNull("name");
        billing.putNull("phone");
        billing.putNull("tax_id");
        ch.put("calculated_statement_descriptor", "EMULATOR");
        ch.put("captured", capture);
        ch.put("created", ledger.clock.nowSeconds());
        ch.put("currency", pi.get("currency").asText());
        ch.set("customer", pi.get("customer").deepCopy());
        ch.set("description", pi.get("description").deepCopy());
        ch.put("disputed", false);
        ch.putNull("failure_balance_transaction");
        ch.put("failure_code", ok ? null : outcome.code());
        ch.put("failure_message", ok ? null : outcome.message());
        ch.putObject("fraud_details");
        ch.put("livemode", false);
        // Stripe copies the intent's metadata onto its charges
        ch.set("metadata", pi.get("metadata").deepCopy());
        ch.putNull("on_behalf_of");
        ObjectNode out = ch.putObject("outcome");
        out.putNull("advice_code");
        out.putNull("network_advice_code");
        out.putNull("network_decline_code");
        out.put("network_status", ok ? "approved_by_network" : "declined_by_network");
        out.put("reason", ok ? null : outcome.declineCode());
        out.put("risk_level", "normal");
        out.put("risk_score", 32);
        out.put(
                "seller_message",
                ok ? "Payment complete." : "The bank did not return any further details with this decline.");
        out.put("type", ok ? "authorized" : "issuer_declined");
        ch.put("paid", ok);
        ch.put("payment_intent", pi.get("id").asText());
        ch.put("payment_method", pm);
        ObjectNode details = ch.putObject("payment_method_details");
        ObjectNode card = details.putObject("card");
        card.putNull("amount_authorized");
        card.put("brand", outcome.brand());
        ObjectNode checks = card.putObject("checks");
        checks.putNull("address_line1_check");
        checks.putNull("address_postal_code_check");
        checks.put("cvc_check", "pass");
        card.put("country", "US");
        card.put("exp_month", 12);
        card.put("exp_year", 2034);
        card.put("fingerprint", "EmUlAt0rF1ngerPr");
        card.put("funding", "credit");
        card.putNull("installments");
        card.put("last4", outcome.last4());
        card.putNull("mandate");
        card.put("network", outcome.brand());
        card.putNull("three_d_secure");
        card.putNull("wallet");
        details.put("type", "card");
        ch.set("receipt_email", pi.get("receipt_email").deepCopy());
        ch.putNull("receipt_number");
        ch.put("receipt_url", "https://pay.stripe.com/receipts/emulator/" + id);
        ch.put("refunded", false);
        ObjectNode refunds = ch.putObject("refunds");
        refunds.put("object", "list");
        refunds.putArray("data");
        refunds.put("has_more", false);
        refunds.put("total_count", 0);
        refunds.put("url", "/v1/charges/" + id + "/refunds");
        ch.putNull("review");
        ch.set("shipping", pi.get("shipping").deepCopy());
        ch.putNull("source");
        ch.putNull("source_transfer");
        ch.set("statement_descriptor", pi.get("statement_descriptor").deepCopy());
        ch.set(
                "statement_descriptor_suffix",
                pi.get("statement_descriptor_suffix").deepCopy());
        ch.put("status", ok ? "succeeded" : "failed");
        ch.putNull("transfer_data");
        ch.set("transfer_group", pi.get("transfer_group").deepCopy());
        ledger.put(ch);
        return ch;
    }

    ObjectNode retrieve(String id) {
        return require(id);
    }

    ObjectNode require(String id) {
        return ledger.require("charge", id, "charge", "charge");
    }

    ObjectNode list(JsonNode p) {
        String pi = Params.string(p, "payment_intent");
        List<ObjectNode> items = ledger.list(
                "charge",
                Paging.createdFilter(p)
                        .and(o ->
                                pi == null || pi.equals(o.path("payment_intent").asText())));
        return Paging.page(items, p, "/v1/charges");
    }

    /** Keeps the embedded refunds list in step with the refunds of this charge (newest first). */
    void addRefund(ObjectNode charge, ObjectNode refund) {
        ObjectNode refunds = (ObjectNode) charge.get("refunds");
        ArrayNode data = (ArrayNode) refunds.get("data");
        data.insert(0, refund.deepCopy());
        refunds.put("total_count", data.size());
    }

    void replaceRefund(ObjectNode charge, ObjectNode refund) {
        ArrayNode data = (ArrayNode) charge.get("refunds").get("data");
        for (int i = 0; i < data.size(); i++) {
            if (data.get(i).path("id").asText().equals(refund.get("id").asText())) {
                data.set(i, refund.deepCopy());
            }
        }
    }

    /** The payment_method object shown in card errors. */
    static ObjectNode paymentMethodObject(String pm, TestCards.Outcome outcome, long created) {
        ObjectNode n = Json.object();
        n.put("id", pm);
        n.put("object", "payment_method");
        ObjectNode card = n.putObject("card");
        card.put("brand", outcome.brand());
        card.put("country", "US");
        card.put("exp_month", 12);
        card.put("exp_year", 2034);
        card.put("funding", "credit");
        card.put("last4", outcome.last4());
        n.put("created", created);
        n.putNull("customer");
        n.put("livemode", false);
        n.putObject("metadata");
        n.put("type", "card");
        return n;
    }
}
