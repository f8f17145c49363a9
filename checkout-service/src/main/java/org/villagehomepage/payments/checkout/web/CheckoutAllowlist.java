package org.villagehomepage.payments.checkout.web;

import static org.villagehomepage.payments.common.security.ServiceNames.REFUND;
import static org.villagehomepage.payments.common.security.ServiceNames.WEBHOOK;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.villagehomepage.payments.common.security.ServiceAllowlist;

/**
 * The one place that says which service may call which internal endpoint of checkout-service
 * (docs/architecture.md, "Trust model"). Anything under /internal without a row here refuses
 * every caller. Listing rejection is not here: it is a super_admin's moderation decision.
 */
public class CheckoutAllowlist {

    @Produces
    @Singleton
    ServiceAllowlist allowlist() {
        return ServiceAllowlist.builder()
                // Stripe payment events, verified and relayed by webhook-service only.
                .allow("POST", "/internal/stripe-events", WEBHOOK)
                // Bans follow chargebacks, which refund-service owns.
                .allow("POST", "/internal/users/{userId}/ban", REFUND)
                .allow("POST", "/internal/users/{userId}/unban", REFUND)
                // Disaster recovery's dry run in webhook-service.
                .allow("GET", "/internal/payments/by-intent/{paymentIntentId}", WEBHOOK)
                // Disaster recovery's rebuild from Stripe's PaymentIntents (re-creates lost payments, applies them).
                .allow("POST", "/internal/payments/restore", WEBHOOK)
                // Amount reconciliation and the payment doctor, both run by webhook-service.
                .allow("GET", "/internal/payments/captured", WEBHOOK)
                .allow("GET", "/internal/payments/by-subject/{id}", WEBHOOK)
                .build();
    }
}
