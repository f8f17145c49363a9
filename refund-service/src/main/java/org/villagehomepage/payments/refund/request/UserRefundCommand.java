package org.villagehomepage.payments.refund.request;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.villagehomepage.payments.common.cards.NoCardNumber;
import org.villagehomepage.payments.common.money.MinorUnitsDeserializer;

/** A user's refund request: which payment, how much (default: all that remains), and why. */
public record UserRefundCommand(
        @NotBlank @Pattern(regexp = "pi_[A-Za-z0-9_]{1,250}")
        String paymentIntentId,

        @JsonDeserialize(using = MinorUnitsDeserializer.class) @Positive
        Long amount,

        @Size(max = 1000) @NoCardNumber String note) {}
