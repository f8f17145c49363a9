package org.villagehomepage.payments.refund.review;

import jakarta.validation.constraints.Size;
import org.villagehomepage.payments.common.cards.NoCardNumber;

/** An optional note with an approval. */
public record ApprovalNote(@Size(max = 1000) @NoCardNumber String note) {}
