package org.villagehomepage.payments.refund.review;

import jakarta.validation.constraints.Size;

/** An optional note with an approval. */
public record ApprovalNote(@Size(max = 1000) String note) {
}
