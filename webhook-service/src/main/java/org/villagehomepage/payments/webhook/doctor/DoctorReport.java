package org.villagehomepage.payments.webhook.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.villagehomepage.payments.webhook.ops.WebhookEventView;

/**
 * The whole story of the payments of a PaymentIntent, a listing or a user, side by side: Stripe's
 * current object, the events stored and their dispatch status, checkout's row, the refund ledger,
 * and what is wrong (with the repair, and its outcome when applied).
 */
public record DoctorReport(String subject, boolean applied, List<Case> payments, int problems, int repaired) {

    public record Case(
            String paymentIntentId,
            JsonNode stripe,
            List<WebhookEventView> events,
            JsonNode checkout,
            Ledger refundLedger,
            List<Finding> findings) {}

    public record Ledger(long refunded, long disputed) {}

    /** problem: a stable slug; repair: what --apply does (null: nothing automatic, see detail); outcome when applied. */
    public record Finding(String problem, String detail, String repair, String outcome) {}
}
