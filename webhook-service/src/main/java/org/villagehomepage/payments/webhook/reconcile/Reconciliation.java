package org.villagehomepage.payments.webhook.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.stripe.StripeCalls;
import org.villagehomepage.payments.webhook.WebhookSettings;
import org.villagehomepage.payments.webhook.audit.AuditOutbox;
import org.villagehomepage.payments.webhook.event.EventRoutes;
import org.villagehomepage.payments.webhook.event.EventStore;
import org.villagehomepage.payments.webhook.event.StripeEvent;
import org.villagehomepage.payments.webhook.event.StripeEventParser;
import org.villagehomepage.payments.webhook.stripe.StripeLists;

/**
 * Closes the gaps Stripe's deliveries leave: lists events of the handled types created since the
 * checkpoint (minus an overlap, never beyond Stripe's 30 days) page by page and feeds each page
 * through the intake's store, which keeps what is already there and dispatches what is new.
 */
@ApplicationScoped
@Startup // its meters are exported from the start, before the first event
public class Reconciliation {

    private static final Logger LOG = Logger.getLogger(Reconciliation.class);
    private static final int REPORTED_IDS = 100;

    private final CheckpointRepository checkpoints;
    private final StripeLists stripe;
    private final StripeEventParser parser;
    private final EventStore store;
    private final AuditOutbox audit;
    private final Pool pool;
    private final WebhookSettings.Reconciliation settings;
    private final Clock clock;
    private final Counter missing;

    public Reconciliation(
            CheckpointRepository checkpoints,
            StripeLists stripe,
            StripeEventParser parser,
            EventStore store,
            AuditOutbox audit,
            Pool pool,
            WebhookSettings settings,
            Clock clock,
            MeterRegistry registry) {
        this.checkpoints = checkpoints;
        this.stripe = stripe;
        this.parser = parser;
        this.store = store;
        this.audit = audit;
        this.pool = pool;
        this.settings = settings.reconciliation();
        this.clock = clock;
        this.missing = Counter.builder("homepage_webhooks_reconciliation_missing")
                .description("Events found by reconciliation that had not been delivered")
                .register(registry);
    }

    /** Who asked for a run, for the audit record. */
    public record Trigger(String actorType, String actorId, String requestId) {}

    /** Progress of one run over the pages. */
    private static final class Progress {
        int listed;
        int found;
        final List<String> foundIds = new ArrayList<>();
    }

    /** Fails with 409 when another replica or request is reconciling right now. */
    public Uni<ReconciliationReport> run(Trigger trigger) {
        Instant startedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return checkpoints.claim(settings.lease()).flatMap(claim -> {
            if (claim.isEmpty()) {
                return Uni.createFrom()
                        .failure(new ProblemException(
                                ProblemType.RECONCILIATION_RUNNING, "A reconciliation run is in progress"));
            }
            Instant from = from(claim.get().checkpoint(), startedAt);
            Progress progress = new Progress();
            return listFrom(from, null, progress)
                    .chain(() -> finish(claim.get(), trigger, from, startedAt, progress))
                    .onFailure()
                    .call(e -> checkpoints.release(claim.get()).onFailure().recoverWithNull())
                    .onFailure(e -> !(e instanceof ProblemException))
                    .transform(Reconciliation::unavailable);
        });
    }

    private static ProblemException unavailable(Throwable e) {
        LOG.warnf("Reconciliation run failed: %s", StripeCalls.describe(e));
        return new ProblemException(
                ProblemType.RECONCILIATION_FAILED, "Reconciliation could not complete; retry later");
    }

    private Instant from(Optional<Instant> checkpoint, Instant now) {
        Instant oldest = now.minus(settings.maxLookback());
        Instant from = checkpoint.map(c -> c.minus(settings.overlap())).orElse(now.minus(settings.initialLookback()));
        return from.isBefore(oldest) ? oldest : from;
    }

    private Uni<Void> listFrom(Instant from, String startingAfter, Progress progress) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(Map.entry("limit", Integer.toString(settings.pageSize())));
        params.add(Map.entry("created[gt]", Long.toString(from.getEpochSecond())));
        EventRoutes.handledTypes().forEach(type -> params.add(Map.entry("types[]", type)));
        if (startingAfter != null) {
            params.add(Map.entry("starting_after", startingAfter));
        }
        return stripe.page("list events", "/v1/events", params)
                .flatMap(page -> storePage(page, progress)
                        .chain(() -> page.hasMore() && page.lastId() != null
                                ? listFrom(from, page.lastId(), progress)
                                : Uni.createFrom().voidItem()));
    }

    private Uni<Void> storePage(StripeLists.Page page, Progress progress) {
        List<StripeEvent> events = new ArrayList<>();
        for (JsonNode node : page.data()) {
            try {
                StripeEventParser.Head head = parser.head(node);
                EventRoutes.destination(head.type())
                        .ifPresent(destination -> events.add(
                                parser.event(head, destination, stripe.json(node), StripeEvent.RECONCILIATION, null)));
            } catch (ProblemException malformed) {
                LOG.warn("Reconciliation skipped a listed object that is not a Stripe event");
            }
        }
        progress.listed += events.size();
        return store.store(events)
                .invoke(fresh -> {
                    progress.found += fresh.size();
                    fresh.stream()
                            .sorted()
                            .limit(REPORTED_IDS - progress.foundIds.size())
                            .forEach(progress.foundIds::add);
                })
                .replaceWithVoid();
    }

    private Uni<ReconciliationReport> finish(
            CheckpointRepository.Claim claim, Trigger trigger, Instant from, Instant checkpoint, Progress progress) {
        AuditOutbox.Entry entry = new AuditOutbox.Entry(
                UUID.randomUUID(),
                "reconciliation.completed",
                "success",
                trigger.actorType(),
                trigger.actorId(),
                null,
                trigger.requestId(),
                null,
                Map.of(
                        "from",
                        from.toString(),
                        "checkpoint",
                        checkpoint.toString(),
                        "listed",
                        Integer.toString(progress.listed),
                        "found",
                        Integer.toString(progress.found)));
        return pool.withTransaction(connection -> checkpoints
                        .complete(connection, claim, checkpoint, progress.listed, progress.found)
                        .call(held -> held
                                ? audit.record(connection, List.of(entry), trigger.requestId())
                                : Uni.createFrom().voidItem()))
                .map(held -> {
                    missing.increment(progress.found);
                    if (progress.found > 0) {
                        LOG.warnf(
                                "Reconciliation found %d Stripe events that were never delivered; they are dispatched now",
                                progress.found);
                    }
                    LOG.infof(
                            "Reconciliation completed: listed=%d, found=%d, from=%s, checkpointMoved=%s",
                            progress.listed, progress.found, from, held);
                    return new ReconciliationReport(
                            from, checkpoint, progress.listed, progress.found, List.copyOf(progress.foundIds));
                });
    }
}
