package org.villagehomepage.payments.refund.request;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.villagehomepage.payments.common.cards.NoCardNumber;

/** A user's refund request: which payment, how much (default: all that remains), and why. */
public record UserRefundCommand(
        @NotBlank @Pattern(regexp = "pi_[A-Za-z0-9_]{1,250}") String paymentIntentId,
        @Positive Long amount,
        @Size(max = 1000) @NoCardNumber String note) {
}
