package org.villagehomepage.payments.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.villagehomepage.payments.audit.detection.Rule;
import org.villagehomepage.payments.audit.redaction.RedactionKind;

/** The meters of docs/metrics.md (audit rows); label values known up front are registered at zero. */
@ApplicationScoped
@io.quarkus.runtime.Startup
public class AuditMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> storedByService = new ConcurrentHashMap<>();
    private final Map<RedactionKind, Counter> redactions = new EnumMap<>(RedactionKind.class);
    private final Map<Rule, Counter> findings = new EnumMap<>(Rule.class);
    private final Counter verificationFailures;

    public AuditMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (RedactionKind kind : RedactionKind.values()) {
            redactions.put(
                    kind,
                    Counter.builder("homepage_audit_redactions")
                            .tag("kind", kind.label())
                            .register(registry));
        }
        for (Rule rule : Rule.values()) {
            findings.put(
                    rule,
                    Counter.builder("homepage_audit_findings")
                            .tag("rule", rule.label())
                            .register(registry));
        }
        verificationFailures =
                Counter.builder("homepage_audit_chain_verification_failures").register(registry);
        for (String service : List.of("checkout-service", "webhook-service", "refund-service", "audit-service")) {
            stored(service, 0); // the suite's senders, exported from the start
        }
    }

    public void stored(String service, long count) {
        storedByService
                .computeIfAbsent(
                        service,
                        s -> Counter.builder("homepage_audit_events_stored")
                                .tag("service", s)
                                .register(registry))
                .increment(count);
    }

    public void redacted(Map<RedactionKind, Integer> counts) {
        counts.forEach((kind, count) -> redactions.get(kind).increment(count));
    }

    public void finding(Rule rule) {
        findings.get(rule).increment();
    }

    public void verificationFailed() {
        verificationFailures.increment();
    }
}
