package org.villagehomepage.payments.refund.request;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/** A refund request as clients see it. The reviewer and failure are shown to admins only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RefundView(
        UUID id,
        String paymentIntentId,
        UUID listingId,
        UUID userId,
        long amount,
        String currency,
        RefundReason reason,
        RefundOrigin origin,
        RefundStatus status,
        String stripeRefundId,
        String note,
        String reviewer,
        String decisionNote,
        String failure,
        Instant createdAt,
        Instant decidedAt,
        Instant processedAt) {

    public static RefundView forOwner(RefundRequest r) {
        return new RefundView(
                r.id,
                r.paymentIntentId,
                r.listingId,
                r.userId,
                r.amount,
                r.currency,
                r.reason,
                r.origin,
                r.status,
                r.stripeRefundId,
                r.requestNote,
                null,
                r.decisionNote,
                null,
                r.createdAt,
                r.decidedAt,
                r.processedAt);
    }

    public static RefundView forAdmin(RefundRequest r) {
        return new RefundView(
                r.id,
                r.paymentIntentId,
                r.listingId,
                r.userId,
                r.amount,
                r.currency,
                r.reason,
                r.origin,
                r.status,
                r.stripeRefundId,
                r.requestNote,
                r.reviewer,
                r.decisionNote,
                r.failure,
                r.createdAt,
                r.decidedAt,
                r.processedAt);
    }
}
