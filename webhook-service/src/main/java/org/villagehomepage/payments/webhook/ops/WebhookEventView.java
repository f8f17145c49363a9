package org.villagehomepage.payments.webhook.ops;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;

/** One stored event as ops see it; the payload stays in the database. */
@RegisterForReflection
public record WebhookEventView(
        String id,
        String type,
        String objectId,
        OffsetDateTime created,
        boolean livemode,
        String source,
        String destination,
        String status,
        int attempts,
        String lastError,
        OffsetDateTime receivedAt,
        OffsetDateTime processedAt) {}
