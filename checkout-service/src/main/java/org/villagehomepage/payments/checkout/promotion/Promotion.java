package org.villagehomepage.payments.checkout.promotion;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A paid promotion of a listing: featured for a period, or a bump to the top (no end). Rows via {@link PromotionRows}. */
public class Promotion {

    public UUID id;
    public UUID listingId;
    public UUID paymentId;
    public PromotionType type;
    public long amount;
    public String currency;
    public OffsetDateTime startsAt;
    public OffsetDateTime expiresAt;
    public PromotionStatus status;
    public OffsetDateTime createdAt;
}
