package org.villagehomepage.payments.audit.chain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SortedMap;
import java.util.UUID;

/**
 * What an audit entry says (PCI DSS 10.2.2: who, what, when, outcome, origin, affected resource),
 * before it is sealed. Times are kept at the database's microsecond precision so that the hash
 * computed before storing equals the one recomputed from the stored row.
 */
public record EntryContent(
        UUID id,
        Instant occurredAt,
        String receivedFrom,
        String service,
        String action,
        String outcome,
        String actorType,
        String actorId,
        String listingId,
        String paymentIntentId,
        String refundId,
        Long amount,
        String currency,
        String requestId,
        String sourceIp,
        SortedMap<String, String> details) {

    public EntryContent {
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MICROS);
    }
}
