package org.villagehomepage.payments.refund.request;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.villagehomepage.payments.common.audit.AuditEvent;
import org.villagehomepage.payments.common.audit.AuditTrail;
import org.villagehomepage.payments.refund.Actor;

/** Audit records of refund requests: who, what, which payment, how much and why. Same transaction as the change. */
@ApplicationScoped
public class RefundAudit {

    private static final int MAX_NOTE = 500;

    private final AuditTrail trail;

    public RefundAudit(AuditTrail trail) {
        this.trail = trail;
    }

    public Uni<Void> record(
            SqlClient transaction, String action, String outcome, RefundRequest request, Actor actor, String why) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("reason", request.reason.wire());
        details.put("status", request.status.wire());
        details.put("origin", request.origin.wire());
        if (why != null && !why.isBlank()) {
            details.put("note", why.length() > MAX_NOTE ? why.substring(0, MAX_NOTE) : why);
        }
        if (request.stripeRefundId != null) {
            details.put("stripeRefundId", request.stripeRefundId);
        }
        if (request.userId != null) {
            details.put("userId", request.userId.toString());
        }
        return trail.record(
                transaction,
                AuditEvent.builder(action, outcome)
                        .actor(actor.type(), actor.id())
                        .listing(request.listingId)
                        .paymentIntent(request.paymentIntentId)
                        .refund(request.id)
                        .amount(request.amount, request.currency)
                        .details(details));
    }
}
