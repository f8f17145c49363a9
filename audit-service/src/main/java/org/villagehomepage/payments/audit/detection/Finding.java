package org.villagehomepage.payments.audit.detection;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.UUID;

/**
 * One rule firing for one subject (a user id, a source IP, or {@code all} for rates).
 *
 * @param observed  the count that crossed the threshold (for rates: the numerator)
 * @param total     for rates, the denominator; null for counts
 * @param threshold for counts, the allowed maximum; for rates, the allowed percentage
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(
        UUID id,
        String rule,
        String subject,
        Instant windowStart,
        Instant windowEnd,
        long observed,
        Long total,
        long threshold,
        Instant detectedAt) {}
