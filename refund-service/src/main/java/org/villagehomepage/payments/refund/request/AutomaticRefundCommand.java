package org.villagehomepage.payments.refund.request;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.time.Instant;
import java.util.UUID;
import org.villagehomepage.payments.common.money.MinorUnitsDeserializer;

/** docs/contracts.md {@code POST /internal/refunds}; idempotent by {@code id}. */
public record AutomaticRefundCommand(
        @NotNull UUID id,

        @NotBlank @Pattern(regexp = "pi_[A-Za-z0-9_]{1,250}")
        String paymentIntentId,

        UUID listingId,
        @NotNull UUID userId,

        @JsonDeserialize(using = MinorUnitsDeserializer.class) @Positive
        long amount,

        @NotBlank @Pattern(regexp = "[a-z]{3}") String currency,

        @NotBlank @Pattern(regexp = "moderation_rejection|technical_failure")
        String reason,

        Instant paidAt) {

    public RefundReason refundReason() {
        return RefundReason.parse(reason).orElseThrow();
    }
}
