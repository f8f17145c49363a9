package org.villagehomepage.payments.refund.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.outbox.MessageKey;
import org.villagehomepage.payments.refund.RefundMetrics;
import org.villagehomepage.payments.refund.chargeback.ChargebackRecorder;
import org.villagehomepage.payments.refund.chargeback.DisputeFact;
import org.villagehomepage.payments.refund.payment.PaymentDirectory;
import org.villagehomepage.payments.refund.payment.PaymentFacts;
import org.villagehomepage.payments.refund.request.RefundStatus;

/**
 * Applies the Stripe events webhook-service forwards to refund-service (docs/contracts.md). The
 * payment is learned first (ledger or Stripe); the change itself is one transaction per event.
 */
@ApplicationScoped
public class StripeEvents {

    private static final Logger LOG = Logger.getLogger(StripeEvents.class);

    public enum Outcome {
        APPLIED,
        DUPLICATE,
        IGNORED
    }

    private final PaymentDirectory directory;
    private final StripeRefunds stripeRefunds;
    private final RefundReconciler reconciler;
    private final ChargebackRecorder chargebacks;
    private final RefundMetrics metrics;

    public StripeEvents(
            PaymentDirectory directory,
            StripeRefunds stripeRefunds,
            RefundReconciler reconciler,
            ChargebackRecorder chargebacks,
            RefundMetrics metrics) {
        this.directory = directory;
        this.stripeRefunds = stripeRefunds;
        this.reconciler = reconciler;
        this.chargebacks = chargebacks;
        this.metrics = metrics;
    }

    public Uni<Outcome> apply(MessageKey messageId, JsonNode event) {
        String type = event.path("type").asText("");
        JsonNode object = event.path("data").path("object");
        return switch (type) {
            case "refund.created", "refund.updated" -> refunds(messageId, List.of(RefundFact.of(object)));
            case "charge.refunded" -> refundsOfCharge(object).flatMap(refunds -> refunds(messageId, refunds));
            case "charge.dispute.created" -> dispute(messageId, DisputeFact.of(object), false);
            case "charge.dispute.closed" -> dispute(messageId, DisputeFact.of(object), true);
            default -> Uni.createFrom().item(Outcome.IGNORED);
        };
    }

    /** The charge's embedded refunds when the event carries them, else Stripe's list for the charge. */
    private Uni<List<RefundFact>> refundsOfCharge(JsonNode charge) {
        JsonNode embedded = charge.path("refunds").path("data");
        if (embedded.isArray()
                && !embedded.isEmpty()
                && !charge.path("refunds").path("has_more").asBoolean(false)) {
            List<RefundFact> refunds = new ArrayList<>();
            embedded.forEach(refund -> refunds.add(RefundFact.of(refund)));
            return Uni.createFrom().item(refunds);
        }
        String chargeId = charge.path("id").asText(null);
        if (chargeId == null) {
            return Uni.createFrom().item(List.of());
        }
        return stripeRefunds
                .ofCharge(chargeId)
                .map(list -> list.stream().map(RefundFact::of).toList());
    }

    private Uni<Outcome> refunds(MessageKey messageId, List<RefundFact> refunds) {
        List<RefundFact> usable = refunds.stream().filter(RefundFact::complete).toList();
        if (usable.isEmpty()) {
            return Uni.createFrom().item(Outcome.IGNORED);
        }
        String paymentIntentId = usable.get(0).paymentIntentId();
        return payment(paymentIntentId).flatMap(facts -> {
            if (facts == null) {
                return Uni.createFrom().item(Outcome.IGNORED);
            }
            return reconciler
                    .reconcile(
                            messageId,
                            facts,
                            usable.stream()
                                    .filter(r -> paymentIntentId.equals(r.paymentIntentId()))
                                    .toList())
                    .map(changed -> {
                        changed.forEach(request -> {
                            if (request.status == RefundStatus.PROCESSED) {
                                metrics.processed(request.reason);
                            } else if (request.status == RefundStatus.FAILED) {
                                metrics.failed(request.reason);
                            }
                        });
                        return Outcome.APPLIED;
                    });
        });
    }

    private Uni<Outcome> dispute(MessageKey messageId, DisputeFact dispute, boolean closing) {
        if (!dispute.complete()) {
            return Uni.createFrom().item(Outcome.IGNORED);
        }
        return payment(dispute.paymentIntentId()).flatMap(facts -> {
            if (facts == null) {
                return Uni.createFrom().item(Outcome.IGNORED);
            }
            return chargebacks.apply(messageId, facts, dispute, closing).map(outcome -> {
                if (outcome.recorded()) {
                    metrics.chargeback();
                    LOG.warnf(
                            "Processing chargeback: paymentIntent=%s, dispute=%s",
                            dispute.paymentIntentId(), dispute.id());
                }
                if (outcome.banned()) {
                    metrics.ban();
                }
                return outcome.changed() ? Outcome.APPLIED : Outcome.DUPLICATE;
            });
        });
    }

    /** A payment Stripe cannot show us (not a paid PaymentIntent) has nothing to reconcile. */
    private Uni<PaymentFacts> payment(String paymentIntentId) {
        return directory.find(paymentIntentId).map(facts -> {
            if (facts == null || facts.chargeId() == null || facts.paidAt() == null) {
                LOG.warnf("Stripe event for unknown or unpaid payment %s ignored", paymentIntentId);
                return null;
            }
            return facts;
        });
    }
}
