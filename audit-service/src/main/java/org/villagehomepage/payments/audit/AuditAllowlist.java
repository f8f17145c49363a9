package org.villagehomepage.payments.audit;

import static org.villagehomepage.payments.common.security.ServiceNames.CHECKOUT;
import static org.villagehomepage.payments.common.security.ServiceNames.REFUND;
import static org.villagehomepage.payments.common.security.ServiceNames.WEBHOOK;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.villagehomepage.payments.common.security.ServiceAllowlist;

/**
 * The one place that says which service may call which internal endpoint of audit-service
 * (docs/architecture.md, "Trust model"). audit-service itself sends nothing to the others.
 */
public class AuditAllowlist {

    @Produces
    @Singleton
    ServiceAllowlist allowlist() {
        return ServiceAllowlist.builder()
                .allow("POST", "/internal/audit/events", CHECKOUT, WEBHOOK, REFUND)
                .build();
    }
}
