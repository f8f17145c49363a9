package org.villagehomepage.payments.refund.chargeback;

import java.time.Instant;
import java.util.UUID;

/** A Stripe dispute, recorded once by its dispute id whatever the number or order of its events. */
public class Chargeback {

    public String disputeId;
    public String chargeId;
    public String paymentIntentId;
    public UUID userId;
    public long amount;
    public String currency;

    /** Stripe's dispute status: needs_response, under_review, won, lost, ... */
    public String status;

    public String reason;
    public UUID refundRequestId;
    public Instant createdAt;
    public Instant closedAt;

    public boolean closed() {
        return closedAt != null;
    }
}
