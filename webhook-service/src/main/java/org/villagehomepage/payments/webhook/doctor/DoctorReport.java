package org.villagehomepage.payments.webhook.doctor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;
import org.villagehomepage.payments.common.contract.PaymentOverview;
import org.villagehomepage.payments.webhook.ops.WebhookEventView;

/**
 * The whole story of the payments of a PaymentIntent, a listing or a user, side by side: Stripe's
 * current object, the events stored and their dispatch status, checkout's row, the refund ledger,
 * and what is wrong (with the repair, and its outcome when applied).
 */
@RegisterForReflection
public record DoctorReport(String subject, boolean applied, List<Case> payments, int problems, int repaired) {

    /** @param checkout checkout's row as checkout answers it; null when checkout has no payment for the intent */
    @RegisterForReflection
    public record Case(
            String paymentIntentId,
            StripeSummary stripe,
            List<WebhookEventView> events,
            PaymentOverview checkout,
            Ledger refundLedger,
            List<Finding> findings) {}

    /**
     * Stripe's PaymentIntent in Stripe's own field names, only the fields Stripe gave; just
     * {@code status: missing} when Stripe has no such PaymentIntent.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StripeSummary(
            String id,
            String status,
            Long amount,
            @JsonProperty("amount_received") Long amountReceived,
            String currency,
            Long created,
            Boolean livemode,
            Map<String, String> metadata,
            StripeCharge charge) {

        static StripeSummary missing() {
            return new StripeSummary(null, "missing", null, null, null, null, null, null, null);
        }
    }

    /** The PaymentIntent's latest charge, in Stripe's field names. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StripeCharge(
            String id,
            String status,
            @JsonProperty("amount_captured") Long amountCaptured,
            @JsonProperty("amount_refunded") Long amountRefunded,
            Boolean refunded,
            Boolean disputed) {}

    @RegisterForReflection
    public record Ledger(long refunded, long disputed) {}

    /** problem: a stable slug; repair: what --apply does (null: nothing automatic, see detail); outcome when applied. */
    @RegisterForReflection
    public record Finding(String problem, String detail, String repair, String outcome) {}
}
