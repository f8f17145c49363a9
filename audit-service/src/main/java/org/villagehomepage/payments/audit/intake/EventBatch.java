package org.villagehomepage.payments.audit.intake;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** The body of {@code POST /internal/audit/events}. */
public record EventBatch(@NotEmpty List<@NotNull @Valid IncomingEvent> events) {}
