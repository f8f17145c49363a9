package org.villagehomepage.payments.common;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.villagehomepage.payments.common.security.ServiceAllowlist;
import org.villagehomepage.payments.common.security.ServiceNames;

/** The test receiver's allowlist: its own relay, and checkout-service (a second sender for dedupe tests). */
public class TestAllowlist {

    @Produces
    @Singleton
    ServiceAllowlist allowlist() {
        return ServiceAllowlist.builder()
                .allow("POST", "/internal/test-receiver/messages", "test-service", ServiceNames.CHECKOUT)
                .allow("POST", "/internal/test-receiver/noop", "test-service")
                .allow("POST", "/internal/test-receiver/events", "test-service")
                .build();
    }
}
