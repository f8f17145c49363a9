package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/** Disputes, opened and closed only through test helpers. Callers hold the ledger lock. */
final class Disputes {
    private static final Set<String> REASONS = Set.of(
            "bank_cannot_process",
            "check_returned",
            "credit_not_processed",
            "customer_initiated",
            "debit_not_authorized",
            "duplicate",
            "fraudulent",
            "general",
            "incorrect_account_details",
            "insufficient_funds",
            "noncompliant",
            "product_not_received",
            "product_unacceptable",
            "subscription_canceled",
            "unrecognized");
    private static final List<String> EVIDENCE_FIELDS = List.of(
            "access_activity_log",
            "billing_address",
            "cancellation_policy",
            "cancellation_policy_disclosure",
            "cancellation_rebuttal",
            "customer_communication",
            "customer_email_address",
            "customer_name",
            "customer_purchase_ip",
            "customer_signature",
            "duplicate_charge_documentation",
            "duplicate_charge_explanation",
            "duplicate_charge_id",
            "product_description",
            "receipt",
            "refund_policy",
            "refund_policy_disclosure",
            "refund_refusal_explanation",
            "service_date",
            "service_documentation",
            "shipping_address",
            "shipping_carrier",
            "shipping_date",
            "shipping_documentation",
            "shipping_tracking_number",
            "uncategorized_file",
            "uncategorized_text");
    private static final long SEVEN_DAYS = 7 * 24 * 3600;

    private final Ledger ledger;

    Disputes(Ledger ledger) {
        this.ledger = ledger;
    }

    /** The test helper's params: reason (default fraudulent), amount (default the whole charge). */
    ObjectNode open(String chargeId, JsonNode p) {
        ObjectNode charge = ledger.require("charge", chargeId, "charge", "charge");
        String reason = Params.string(p, "reason");
        if (reason != null && !REASONS.contains(reason)) {
            throw ApiException.invalidRequest("Invalid dispute reason: " + reason, null, "reason");
        }
        return open(charge, reason == null ? "fraudulent" : reason, Params.amount(p, "amount"), RequestContext.NONE);
    }

    ObjectNode open(ObjectNode charge, String reason, Long amount, RequestContext ctx) {
        if (!charge.get("paid").asBoolean()) {
            throw ApiException.invalidRequest("A failed charge cannot be disputed.", null, "charge");
        }
        if (charge.get("disputed").asBoolean()) {
            throw ApiException.invalidRequest(
                    "Charge " + charge.get("id").asText() + " is already disputed.", null, "charge");
        }
        long disputed = amount == null ? charge.get("amount").asLong() : amount;
        if (disputed > charge.get("amount").asLong()) {
            throw ApiException.invalidRequest(
                    "Dispute amount exceeds the charge amount.", "amount_too_large", "amount");
        }
        long now = ledger.clock.nowSeconds();
        ObjectNode du = Json.object();
        du.put("id", ledger.ids.next("du"));
        du.put("object", "dispute");
        du.put("amount", disputed);
        du.putArray("balance_transactions");
        du.put("charge", charge.get("id").asText());
        du.put("created", now);
        du.put("currency", charge.get("currency").asText());
        du.putArray("enhanced_eligibility_types");
        ObjectNode evidence = du.putObject("evidence");
        EVIDENCE_FIELDS.forEach(evidence::putNull);
        evidence.putObject("enhanced_evidence");
        ObjectNode details = du.putObject("evidence_details");
        details.put("due_by", now + SEVEN_DAYS);
        details.putObject("enhanced_eligibility");
        details.put("has_evidence", false);
        details.put("past_due", false);
        details.put("submission_count", 0);
        du.put("is_charge_refundable", false);
        du.put("livemode", false);
        du.putObject("metadata");
        du.set("payment_intent", charge.get("payment_intent").deepCopy());
        ObjectNode pmd = du.putObject("payment_method_details");
        ObjectNode card = pmd.putObject("card");
        card.put(
                "brand",
                charge.path("payment_method_details").path("card").path("brand").asText("visa"));
        card.put("case_type", "chargeback");
        card.put("network_reason_code", "10.4");
        pmd.put("type", "card");
        du.put("reason", reason);
        du.put("status", "needs_response");
        ledger.put(du);
        charge.put("disputed", true);
        ledger.publish("charge.dispute.created", du, null, ctx);
        return du;
    }

    /** Test helper: the network decides, {@code status} won or lost. */
    ObjectNode close(String id, JsonNode p) {
        String status = Params.oneOf(p, "status", Set.of("won", "lost"));
        if (status == null) {
            throw ApiException.missingParam("status");
        }
        return close(id, status, RequestContext.NONE);
    }

    /** {@code POST /v1/disputes/{id}/close}: the merchant accepts the dispute, so it is lost. */
    ObjectNode accept(String id, RequestContext ctx) {
        return close(id, "lost", ctx);
    }

    private ObjectNode close(String id, String status, RequestContext ctx) {
        ObjectNode du = require(id);
        String current = du.get("status").asText();
        if (current.equals("won") || current.equals("lost")) {
            throw ApiException.invalidRequest(
                    "Dispute " + id + " is already closed (" + current + ").", null, "status");
        }
        ObjectNode before = du.deepCopy();
        du.put("status", status);
        du.put("is_charge_refundable", false);
        ledger.publish("charge.dispute.closed", du, Ledger.diff(before, du), ctx);
        return du;
    }

    ObjectNode retrieve(String id) {
        return require(id);
    }

    ObjectNode list(JsonNode p) {
        String charge = Params.string(p, "charge");
        String pi = Params.string(p, "payment_intent");
        List<ObjectNode> items = ledger.list(
                "dispute",
                Paging.createdFilter(p)
                        .and(o ->
                                charge == null || charge.equals(o.path("charge").asText()))
                        .and(o ->
                                pi == null || pi.equals(o.path("payment_intent").asText())));
        return Paging.page(items, p, "/v1/disputes");
    }

    private ObjectNode require(String id) {
        return ledger.require("dispute", id, "dispute", "dispute");
    }
}
