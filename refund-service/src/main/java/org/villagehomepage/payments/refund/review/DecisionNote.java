package org.villagehomepage.payments.refund.review;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.villagehomepage.payments.common.cards.NoCardNumber;

/** Why the reviewer decided as they did; required to reject. */
public record DecisionNote(
        @NotBlank @Size(max = 1000) @NoCardNumber String note) {}
