package org.villagehomepage.payments.common.contract;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.UUID;

/**
 * checkout's answer to disaster recovery's {@code POST /internal/payments/restore}: what it re-created
 * and how applying the event went. One definition for checkout and webhook-service (recovery).
 *
 * @param outcome the event's result ({@code succeeded}, {@code unchanged}, {@code duplicate}...), or
 *                {@code listing-missing} when a promotion's listing is lost and nothing was restored
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestoredPayment(
        String paymentIntentId,
        UUID paymentId,
        UUID listingId,
        boolean listingRestored,
        boolean paymentRestored,
        String outcome) {}
