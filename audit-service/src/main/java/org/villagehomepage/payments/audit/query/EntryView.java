package org.villagehomepage.payments.audit.query;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.SortedMap;
import java.util.UUID;
import org.villagehomepage.payments.audit.chain.ChainHasher;
import org.villagehomepage.payments.audit.chain.EntryContent;
import org.villagehomepage.payments.audit.chain.SealedEntry;

/** An audit entry as investigators see it; amounts in minor units, hashes in hex. */
@RegisterForReflection
public record EntryView(
        long seq,
        UUID id,
        Instant occurredAt,
        Instant recordedAt,
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
        SortedMap<String, String> details,
        String prevHash,
        String hash) {

    public static EntryView of(SealedEntry e) {
        EntryContent c = e.content();
        return new EntryView(
                e.seq(),
                c.id(),
                c.occurredAt(),
                e.recordedAt(),
                c.receivedFrom(),
                c.service(),
                c.action(),
                c.outcome(),
                c.actorType(),
                c.actorId(),
                c.listingId(),
                c.paymentIntentId(),
                c.refundId(),
                c.amount(),
                c.currency(),
                c.requestId(),
                c.sourceIp(),
                c.details(),
                ChainHasher.hex(e.prevHash()),
                ChainHasher.hex(e.hash()));
    }
}
