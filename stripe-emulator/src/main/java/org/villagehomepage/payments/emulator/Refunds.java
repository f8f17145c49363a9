package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * Refunds: they succeed at once and update their charge; a refund of a {@code pm_card_refundFail}
 * charge (or one failed by the test helper) then turns failed, as Stripe's asynchronous refund
 * failures do. Callers hold the ledger lock.
 */
final class Refunds {
    private static final Set<String> REASONS = Set.of("duplicate", "fraudulent", "requested_by_customer");

    private final Ledger ledger;
    private final Charges charges;

    Refunds(Ledger ledger, Charges charges) {
        this.ledger = ledger;
        this.charges = charges;
    }

    ObjectNode create(JsonNode p, RequestContext ctx) {
        String chargeId = Params.string(p, "charge");
        String piId = Params.string(p, "payment_intent");
        if ((chargeId == null || chargeId.isEmpty()) && (piId == null || piId.isEmpty())) {
            throw ApiException.invalidRequest(
                    "One of the following params should be provided for this request: " + "payment_intent or charge.",
                    "parameter_missing",
                    "charge");
        }
        ObjectNode charge;
        if (chargeId != null && !chargeId.isEmpty()) {
            charge = ledger.require("charge", chargeId, "charge", "charge");
            if (piId != null
                    && !piId.isEmpty()
                    && !piId.equals(charge.path("payment_intent").asText())) {
                throw ApiException.invalidRequest(
                        "The charge " + chargeId + " does not belong to " + piId + ".", null, "payment_intent");
            }
        } else {
            ObjectNode pi = ledger.require("payment_intent", piId, "payment_intent", "payment_intent");
            JsonNode latest = pi.get("latest_charge");
            ObjectNode c = latest.isTextual() ? ledger.find("charge", latest.asText()) : null;
            if (c == null || !pi.get("status").asText().equals("succeeded")) {
                throw ApiException.invalidRequest(
                        "This PaymentIntent does not have a successful charge to refund.", null, "payment_intent");
            }
            charge = c;
        }
        if (!charge.get("paid").asBoolean()) {
            throw ApiException.invalidRequest("This charge cannot be refunded because it failed.", null, "charge");
        }
        if (!charge.get("captured").asBoolean()) {
            throw ApiException.invalidRequest(
                    "Charge " + charge.get("id").asText() + " has not been captured; cancel "
                            + "its PaymentIntent to release the authorisation.",
                    null,
                    "charge");
        }
        if (charge.get("disputed").asBoolean()) {
            throw ApiException.invalidRequest(
                    "Charge " + charge.get("id").asText() + " has been charged back; cannot issue a refund.",
                    "charge_disputed",
                    "charge");
        }
        long captured = charge.get("amount_captured").asLong();
        long refunded = charge.get("amount_refunded").asLong();
        long remaining = captured - refunded;
        if (remaining <= 0) {
            throw ApiException.invalidRequest(
                    "Charge " + charge.get("id").asText() + " has already been refunded.",
                    "charge_already_refunded",
                    null);
        }
        Long requested = Params.amount(p, "amount");
        long amount = requested == null ? remaining : requested;
        if (amount > remaining) {
            throw ApiException.invalidRequest(
                    "Refund amount (" + money(amount, charge) + ") is greater than unrefunded " + "amount on charge ("
                            + money(remaining, charge) + ")",
                    "amount_too_large",
                    "amount");
        }
        String reason = Params.oneOf(p, "reason", REASONS);

        ObjectNode re = Json.object();
        re.put("id", ledger.ids.next("re"));
        re.put("object", "refund");
        re.put("amount", amount);
        re.put("balance_transaction", ledger.ids.next("txn"));
        re.put("charge", charge.get("id").asText());
        re.put("created", ledger.clock.nowSeconds());
        re.put("currency", charge.get("currency").asText());
        re.set("customer", charge.get("customer").deepCopy());
        re.putNull("customer_account");
        ObjectNode dest = re.putObject("destination_details");
        ObjectNode card = dest.putObject("card");
        card.putNull("reference");
        card.put("reference_status", "pending");
        card.put("reference_type", "acquirer_reference_number");
        card.put("type", "refund");
        dest.put("type", "card");
        re.putObject("metadata");
        Params.mergeMetadata(re, p);
        re.set("payment_intent", charge.get("payment_intent").deepCopy());
        re.set("payment_method", charge.get("payment_method").deepCopy());
        re.put("reason", reason);
        re.putNull("receipt_number");
        re.putNull("source_transfer_reversal");
        re.put(
                "status",
                TestCards.refundsStayPending(charge.path("payment_method").asText()) ? "pending" : "succeeded");
        re.putNull("transfer_reversal");
        ledger.put(re);

        ObjectNode before = charge.deepCopy();
        charge.put("amount_refunded", refunded + amount);
        charge.put("refunded", refunded + amount == charge.get("amount").asLong());
        charges.addRefund(charge, re);
        ledger.publish("charge.refunded", charge, Ledger.diff(before, charge), ctx);
        ledger.publish("refund.created", re, null, ctx);
        if (TestCards.refundsFail(charge.path("payment_method").asText())) {
            // the caller sees the refund as created (succeeded); its failure follows in events
            ObjectNode created = re.deepCopy();
            fail(re.get("id").asText(), RequestContext.NONE);
            return created;
        }
        return re;
    }

    /**
     * A refund made outside the API client, as a Dashboard user would: no idempotency key and no
     * metadata. Takes {@code payment_intent} or {@code charge} and an optional {@code amount}.
     */
    ObjectNode createAsDashboard(JsonNode p) {
        ObjectNode params = Json.object();
        for (String field : new String[] {"payment_intent", "charge", "amount", "reason"}) {
            if (p.hasNonNull(field)) {
                params.put(field, p.get(field).asText());
            }
        }
        return create(params, RequestContext.NONE);
    }

    /**
     * succeeded (or pending) -> failed, as Stripe does when the card network returns a refund: the
     * charge's refunded amount goes back down and {@code refund.updated}, {@code refund.failed} and
     * {@code charge.refund.updated} are sent.
     */
    ObjectNode fail(String id, RequestContext ctx) {
        ObjectNode re = require(id);
        String status = re.get("status").asText();
        if (!status.equals("succeeded") && !status.equals("pending")) {
            throw ApiException.invalidRequest(
                    "Refund " + id + " has a status of " + status + " and cannot fail.", null, "id");
        }
        ObjectNode before = re.deepCopy();
        re.put("status", "failed");
        re.put("failure_reason", "expired_or_canceled_card");
        re.put("failure_balance_transaction", ledger.ids.next("txn"));
        ObjectNode charge = ledger.find("charge", re.get("charge").asText());
        if (charge != null) {
            long refunded =
                    charge.get("amount_refunded").asLong() - re.get("amount").asLong();
            charge.put("amount_refunded", Math.max(0, refunded));
            charge.put(
                    "refunded", refunded > 0 && refunded == charge.get("amount").asLong());
            charges.replaceRefund(charge, re);
        }
        ObjectNode previous = Ledger.diff(before, re);
        ledger.publish("refund.updated", re, previous, ctx);
        ledger.publish("refund.failed", re, previous, ctx);
        ledger.publish("charge.refund.updated", re, previous, ctx);
        return re;
    }

    ObjectNode retrieve(String id) {
        return require(id);
    }

    ObjectNode update(String id, JsonNode p, RequestContext ctx) {
        ObjectNode re = require(id);
        ObjectNode before = re.deepCopy();
        Params.mergeMetadata(re, p);
        ObjectNode previous = Ledger.diff(before, re);
        if (!previous.isEmpty()) {
            ObjectNode charge = ledger.find("charge", re.get("charge").asText());
            if (charge != null) {
                charges.replaceRefund(charge, re);
            }
            ledger.publish("refund.updated", re, previous, ctx);
        }
        return re;
    }

    ObjectNode list(JsonNode p) {
        String charge = Params.string(p, "charge");
        String pi = Params.string(p, "payment_intent");
        List<ObjectNode> items = ledger.list(
                "refund",
                Paging.createdFilter(p)
                        .and(o ->
                                charge == null || charge.equals(o.path("charge").asText()))
                        .and(o ->
                                pi == null || pi.equals(o.path("payment_intent").asText())));
        return Paging.page(items, p, "/v1/refunds");
    }

    private ObjectNode require(String id) {
        return ledger.require("refund", id, "refund", "id");
    }

    private static String money(long minor, ObjectNode charge) {
        return String.format("%s %d.%02d", charge.get("currency").asText().toUpperCase(), minor / 100, minor % 100);
    }
}
