package org.villagehomepage.payments.checkout.web;

import org.villagehomepage.payments.common.audit.AuditEvent;

/** Starting points for the audit events of this service, with actor and client address filled in. */
public final class Audits {

    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";
    public static final String DENIED = "denied";

    private Audits() {}

    public static AuditEvent.Builder byUser(String action, String outcome, Caller caller) {
        return AuditEvent.builder(action, outcome)
                .actor("user", caller.actorId())
                .sourceIp(caller.sourceIp());
    }

    public static AuditEvent.Builder byService(String action, String outcome) {
        return AuditEvent.builder(action, outcome).actor("service", "payments");
    }

    /** An action requested by another service, named by its verified identity. */
    public static AuditEvent.Builder byService(String action, String outcome, String sender) {
        return AuditEvent.builder(action, outcome).actor("service", sender);
    }

    public static AuditEvent.Builder byAdmin(String action, String outcome, String adminId, String sourceIp) {
        return AuditEvent.builder(action, outcome).actor("admin", adminId).sourceIp(sourceIp);
    }

    public static AuditEvent.Builder byStripe(String action, String outcome, String eventId) {
        return AuditEvent.builder(action, outcome).actor("stripe", eventId);
    }

    public static AuditEvent.Builder bySystem(String action) {
        return AuditEvent.builder(action, SUCCESS).actor("system", "checkout-service");
    }
}
