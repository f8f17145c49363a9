package org.villagehomepage.payments.refund;

import static org.villagehomepage.payments.common.security.ServiceNames.CHECKOUT;
import static org.villagehomepage.payments.common.security.ServiceNames.WEBHOOK;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.villagehomepage.payments.common.security.ServiceAllowlist;

/**
 * The one place that says which service may call which internal endpoint of refund-service
 * (docs/architecture.md, "Trust model"). Anything under /internal without a row refuses every caller.
 */
public class RefundAllowlist {

    @Produces
    @Singleton
    ServiceAllowlist allowlist() {
        return ServiceAllowlist.builder()
                // Automatic refunds are only ever requested by checkout-service (moderation, late payments).
                .allow("POST", "/internal/refunds", CHECKOUT)
                // Refund and dispute events, verified and relayed by webhook-service only.
                .allow("POST", "/internal/stripe-events", WEBHOOK)
                // The refund ledger's amounts, for webhook-service's amount reconciliation and payment doctor.
                .allow("POST", "/internal/ledger/amounts", WEBHOOK)
                // Disaster recovery's dry run: which of Stripe's refunds the suite has a record of.
                .allow("GET", "/internal/refunds/by-stripe-refund/{refundId}", WEBHOOK)
                .build();
    }
}
