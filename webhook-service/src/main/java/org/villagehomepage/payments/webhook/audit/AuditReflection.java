package org.villagehomepage.payments.webhook.audit;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.villagehomepage.payments.common.audit.AuditEvent;

/** AuditOutbox serializes AuditEvent with Jackson outside any REST endpoint; native images need it registered. */
@RegisterForReflection(targets = AuditEvent.class)
final class AuditReflection {

    private AuditReflection() {}
}
