package org.villagehomepage.payments.audit.intake;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.villagehomepage.payments.common.money.MinorUnitsDeserializer;

/**
 * One event of the intake body: every field of payments-common {@code AuditEvent} (the wire
 * contract), with the checks audit-service applies. Free-text fields are only bounded here; the
 * redactor cleans them before storage.
 */
public record IncomingEvent(
        @NotNull UUID id,
        @NotNull Instant occurredAt,

        @NotBlank @Size(max = 64) @Pattern(regexp = "[a-z][a-z0-9-]*", message = "must be a service name")
        String service,

        @NotBlank
        @Size(max = 100)
        @Pattern(regexp = "[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+", message = "must be a dotted action name")
        String action,

        @NotNull @Pattern(regexp = "success|failure|denied", message = "must be success, failure or denied")
        String outcome,

        @Pattern(
                regexp = "user|admin|service|stripe|system",
                message = "must be user, admin, service, stripe or system")
        String actorType,

        @Size(max = 200) String actorId,
        @Size(max = 200) String listingId,
        @Size(max = 200) String paymentIntentId,
        @Size(max = 200) String refundId,

        @JsonDeserialize(using = MinorUnitsDeserializer.class)
        @PositiveOrZero
        @Max(value = MAX_AMOUNT, message = "must have at most 12 digits")
        Long amount,

        @Pattern(regexp = "[a-z]{3}", message = "must be a lowercase ISO currency")
        String currency,

        @Size(max = 200) String requestId,
        @Size(max = 100) String sourceIp,
        @Size(max = 50) Map<@NotBlank @Size(max = 100) String, @Size(max = 2000) String> details) {

    /** Minor units; at most 12 digits, so an amount can never be shaped like a card number. */
    public static final long MAX_AMOUNT = 999_999_999_999L;

    /** An amount means nothing without its currency. */
    @AssertTrue(message = "an amount needs a currency")
    public boolean isAmountWithCurrency() {
        return amount == null || currency != null;
    }
}
