package org.villagehomepage.payments.common.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.common.money.MinorUnitsDeserializer;

/**
 * One audit record as it travels to audit-service (PCI DSS 10.2.2: who, what, when, outcome,
 * origin, affected resource). Money in minor units. Never card data, client secrets or tokens.
 *
 * @param action    stable dotted name, e.g. {@code checkout.attempted}, {@code refund.approved}
 * @param outcome   {@code success}, {@code failure} or {@code denied}
 * @param actorType {@code user}, {@code admin}, {@code service}, {@code stripe} or {@code system}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEvent(
        UUID id,
        Instant occurredAt,
        String service,
        String action,
        String outcome,
        String actorType,
        String actorId,
        String listingId,
        String paymentIntentId,
        String refundId,

        @JsonDeserialize(using = MinorUnitsDeserializer.class)
        Long amount,

        String currency,
        String requestId,
        String sourceIp,
        Map<String, String> details) {

    /** Where every sender's outbox delivers audit events (audit-service's intake). */
    public static final String DESTINATION = "audit";

    public static final String PATH = "/internal/audit/events";

    public static Builder builder(String action, String outcome) {
        return new Builder(action, outcome);
    }

    public static final class Builder {
        private final String action;
        private final String outcome;
        private UUID id = UUID.randomUUID();
        private String actorType = "system";
        private String actorId = "system";
        private String listingId;
        private String paymentIntentId;
        private String refundId;
        private Long amount;
        private String currency;
        private String sourceIp;
        private Map<String, String> details;

        private Builder(String action, String outcome) {
            this.action = action;
            this.outcome = outcome;
        }

        /** A stable id makes a re-recorded fact (a redelivered event) one audit entry. */
        public Builder id(UUID id) {
            this.id = id;
            return this;
        }

        public Builder actor(String type, String id) {
            this.actorType = type;
            this.actorId = id;
            return this;
        }

        public Builder listing(Object listingId) {
            this.listingId = listingId == null ? null : listingId.toString();
            return this;
        }

        public Builder paymentIntent(String paymentIntentId) {
            this.paymentIntentId = paymentIntentId;
            return this;
        }

        public Builder refund(Object refundId) {
            this.refundId = refundId == null ? null : refundId.toString();
            return this;
        }

        public Builder amount(Long amount, String currency) {
            this.amount = amount;
            this.currency = currency;
            return this;
        }

        public Builder sourceIp(String sourceIp) {
            this.sourceIp = sourceIp;
            return this;
        }

        public Builder details(Map<String, String> details) {
            this.details = details;
            return this;
        }

        public AuditEvent build(String service, String requestId) {
            return new AuditEvent(
                    id,
                    Instant.now(),
                    service,
                    action,
                    outcome,
                    actorType,
                    actorId,
                    listingId,
                    paymentIntentId,
                    refundId,
                    amount,
                    currency,
                    requestId,
                    sourceIp,
                    details);
        }
    }
}
