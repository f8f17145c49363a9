package org.villagehomepage.payments.refund.chargeback;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A Stripe dispute, recorded once by its dispute id whatever the number or order of its events. */
@Entity
@Table(name = "chargeback")
public class Chargeback extends PanacheEntityBase {

    @Id
    @Column(name = "dispute_id")
    public String disputeId;

    @Column(name = "charge_id", nullable = false)
    public String chargeId;

    @Column(name = "payment_intent_id", nullable = false)
    public String paymentIntentId;

    @Column(name = "user_id")
    public UUID userId;

    @Column(nullable = false)
    public long amount;

    @Column(nullable = false)
    public String currency;

    /** Stripe's dispute status: needs_response, under_review, won, lost, ... */
    @Column(nullable = false)
    public String status;

    public String reason;

    @Column(name = "refund_request_id")
    public UUID refundRequestId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    public boolean closed() {
        return closedAt != null;
    }
}
