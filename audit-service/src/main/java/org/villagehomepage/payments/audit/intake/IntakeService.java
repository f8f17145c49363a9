package org.villagehomepage.payments.audit.intake;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.villagehomepage.payments.audit.AuditMetrics;
import org.villagehomepage.payments.audit.AuditSettings;
import org.villagehomepage.payments.audit.chain.EntryContent;
import org.villagehomepage.payments.audit.chain.SealedEntry;
import org.villagehomepage.payments.audit.chain.TrailWriter;
import org.villagehomepage.payments.audit.redaction.Redaction;
import org.villagehomepage.payments.audit.redaction.Redactor;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;

/**
 * The one way into the trail, for other services' events and for audit-service's own
 * ({@code audit.accessed}): redact, then seal and store once per event id, then count.
 */
@ApplicationScoped
public class IntakeService {

    private final TrailWriter writer;
    private final AuditMetrics metrics;
    private final AuditSettings settings;

    public IntakeService(TrailWriter writer, AuditMetrics metrics, AuditSettings settings) {
        this.writer = writer;
        this.metrics = metrics;
        this.settings = settings;
    }

    /** Events from another service, authenticated as {@code sender}. */
    public Uni<IntakeResult> receive(EventBatch batch, String sender) {
        List<IncomingEvent> events = batch.events();
        if (events.size() > settings.intake().maxBatch()) {
            throw new ProblemException(
                    ProblemType.BATCH_TOO_LARGE,
                    "A batch holds at most " + settings.intake().maxBatch() + " events");
        }
        Instant latest = Instant.now().plus(settings.intake().maxClockSkew());
        Map<UUID, EntryContent> unique = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            IncomingEvent event = events.get(i);
            if (event.occurredAt().isAfter(latest)) {
                throw new ProblemException(ProblemType.VALIDATION, "events[" + i + "].occurredAt is in the future");
            }
            unique.putIfAbsent(event.id(), content(event, sender));
        }
        return store(new ArrayList<>(unique.values()))
                .map(stored -> new IntakeResult(events.size(), stored.size(), events.size() - stored.size()));
    }

    /** Redacts and stores entries; those whose id is already stored are skipped. */
    public Uni<List<SealedEntry>> store(List<EntryContent> entries) {
        Map<UUID, Redaction> redactions = new HashMap<>();
        List<EntryContent> clean = new ArrayList<>(entries.size());
        for (EntryContent entry : entries) {
            Redaction redaction = new Redaction();
            clean.add(redact(entry, redaction));
            redactions.put(entry.id(), redaction);
        }
        return writer.append(clean).invoke(stored -> {
            for (SealedEntry entry : stored) {
                metrics.stored(entry.content().service(), 1);
                metrics.redacted(redactions.get(entry.content().id()).counts());
            }
        });
    }

    private static EntryContent content(IncomingEvent e, String sender) {
        return new EntryContent(
                e.id(),
                e.occurredAt(),
                sender,
                e.service(),
                e.action(),
                e.outcome(),
                e.actorType(),
                e.actorId(),
                e.listingId(),
                e.paymentIntentId(),
                e.refundId(),
                e.amount(),
                e.currency(),
                e.requestId(),
                e.sourceIp(),
                e.details() == null ? null : new TreeMap<>(e.details()));
    }

    /** Every string field goes through the redactor, the validated ones too. */
    static EntryContent redact(EntryContent c, Redaction r) {
        return new EntryContent(
                c.id(),
                c.occurredAt(),
                Redactor.text(c.receivedFrom(), r),
                Redactor.text(c.service(), r),
                Redactor.text(c.action(), r),
                Redactor.text(c.outcome(), r),
                Redactor.text(c.actorType(), r),
                Redactor.text(c.actorId(), r),
                Redactor.text(c.listingId(), r),
                Redactor.text(c.paymentIntentId(), r),
                Redactor.text(c.refundId(), r),
                c.amount(),
                Redactor.text(c.currency(), r),
                Redactor.text(c.requestId(), r),
                Redactor.text(c.sourceIp(), r),
                Redactor.details(c.details(), r));
    }
}
