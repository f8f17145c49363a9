package org.villagehomepage.payments.webhook.amounts;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.villagehomepage.payments.webhook.WebhookSettings;
import org.villagehomepage.payments.webhook.client.CheckoutClient;
import org.villagehomepage.payments.webhook.client.RefundClient;
import org.villagehomepage.payments.webhook.client.ServiceAnswers;

/**
 * The suite's side of the money, with the service JWT: checkout's captured payments
 * ({@code GET /internal/payments/captured}) and the refund ledger's refunded and disputed amounts
 * ({@code POST /internal/ledger/amounts}). A period's answers are larger than a lookup's: each call
 * may take six times {@code webhook.recovery.checkout-timeout}.
 */
@ApplicationScoped
public class SuiteAmounts {

    private final CheckoutClient checkout;
    private final RefundClient refund;
    private final Duration timeout;

    public SuiteAmounts(
            @RestClient CheckoutClient checkout, @RestClient RefundClient refund, WebhookSettings settings) {
        this.checkout = checkout;
        this.refund = refund;
        this.timeout = settings.recovery().checkoutTimeout().multipliedBy(6);
    }

    public Uni<List<CheckoutClient.Captured>> captured(Instant from, Instant to) {
        return ServiceAnswers.of("checkout", timeout, checkout.captured(from.toString(), to.toString()));
    }

    /** PaymentIntent id -> the ledger's amounts, for those of the ids the ledger has. */
    public Uni<Map<String, RefundClient.LedgerAmounts>> ledger(Collection<String> paymentIntentIds) {
        if (paymentIntentIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return ServiceAnswers.of(
                        "refund",
                        timeout,
                        refund.ledgerAmounts(new RefundClient.LedgerQuery(List.copyOf(paymentIntentIds))))
                .map(rows -> {
                    Map<String, RefundClient.LedgerAmounts> all = new HashMap<>();
                    rows.forEach(row -> all.put(row.paymentIntentId(), row));
                    return all;
                });
    }
}
