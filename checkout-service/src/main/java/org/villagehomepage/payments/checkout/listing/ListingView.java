package org.villagehomepage.payments.checkout.listing;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.villagehomepage.payments.checkout.payment.Payment;
import org.villagehomepage.payments.checkout.promotion.Promotion;

/** The owner's view of a listing: its state, what it cost and the promotions bought. Never a client secret. */
public record ListingView(
        UUID id,
        UUID categoryId,
        String title,
        String status,
        OffsetDateTime createdAt,
        OffsetDateTime activatedAt,
        OffsetDateTime expiresAt,
        OffsetDateTime lastBumpedAt,
        OffsetDateTime featuredUntil,
        List<PaymentView> payments,
        List<PromotionView> promotions) {

    public record PaymentView(
            UUID id,
            String purpose,
            long amount,
            String currency,
            String status,
            String paymentIntentId,
            OffsetDateTime createdAt,
            OffsetDateTime succeededAt,
            boolean refundRequested) {

        static PaymentView of(Payment p) {
            return new PaymentView(
                    p.id,
                    p.purpose.value(),
                    p.amount,
                    p.currency,
                    p.status.value(),
                    p.paymentIntentId,
                    p.createdAt,
                    p.succeededAt,
                    p.refundRequestedAt != null);
        }
    }

    public record PromotionView(
            String type,
            long amount,
            String currency,
            OffsetDateTime startsAt,
            OffsetDateTime expiresAt,
            String status) {

        static PromotionView of(Promotion p) {
            return new PromotionView(p.type.value(), p.amount, p.currency, p.startsAt, p.expiresAt, p.status.value());
        }
    }

    static ListingView of(Listing l, List<Payment> payments, List<Promotion> promotions) {
        return new ListingView(
                l.id,
                l.categoryId,
                l.title,
                l.status.value(),
                l.createdAt,
                l.activatedAt,
                l.expiresAt,
                l.lastBumpedAt,
                l.featuredUntil,
                payments.stream().map(PaymentView::of).toList(),
                promotions.stream().map(PromotionView::of).toList());
    }
}
