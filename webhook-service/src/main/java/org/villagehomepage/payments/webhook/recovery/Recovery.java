package org.villagehomepage.payments.webhook.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.stripe.StripeCalls;
import org.villagehomepage.payments.webhook.WebhookSettings;
import org.villagehomepage.payments.webhook.audit.AuditOutbox;
import org.villagehomepage.payments.webhook.dispatch.Redispatch;
import org.villagehomepage.payments.webhook.event.EventRoutes;
import org.villagehomepage.payments.webhook.event.EventStore;
import org.villagehomepage.payments.webhook.event.StripeEvent;
import org.villagehomepage.payments.webhook.event.StripeEventParser;
import org.villagehomepage.payments.webhook.stripe.StripeLists;

/**
 * Disaster recovery with Stripe as the source of truth (operations guide): lists succeeded
 * PaymentIntents and their metadata, asks checkout which of them it has not applied, and - when
 * applying - sends checkout a {@code payment_intent.succeeded} event for each through the same
 * store and outbox as a delivery. The event carries the PaymentIntent as Stripe returns it now.
 * Its id is derived from the PaymentIntent, so applying twice stores nothing twice.
 */
@ApplicationScoped
public class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class);
    private static final String EVENT_TYPE = "payment_intent.succeeded";
    private static final int PAGE = 100;
    private static final int LOOKUPS_AT_ONCE = 4;

    private final StripeLists stripe;
    private final CheckoutPayments checkout;
    private final StripeEventParser parser;
    private final EventStore store;
    private final Redispatch redispatch;
    private final AuditOutbox audit;
    private final Pool pool;
    private final ObjectMapper mapper;
    private final WebhookSettings.Recovery settings;
    private final Clock clock;

    public Recovery(StripeLists stripe, CheckoutPayments checkout, StripeEventParser parser, EventStore store,
            Redispatch redispatch, AuditOutbox audit, Pool pool, ObjectMapper mapper, WebhookSettings settings, Clock clock) {
        this.stripe = stripe;
        this.checkout = checkout;
        this.parser = parser;
        this.store = store;
        this.redispatch = redispatch;
        this.audit = audit;
        this.pool = pool;
        this.mapper = mapper;
        this.settings = settings.recovery();
        this.clock = clock;
    }

    /** Who runs it, for the audit record of an apply. */
    public record Operator(String adminId, String requestId) {
    }

    private record Finding(JsonNode intent, Optional<JsonNode> payment) {

        boolean applied() {
            return payment.isPresent() && "succeeded".equalsIgnoreCase(payment.get().path("status").asText());
        }
    }

    public Uni<RecoveryReport> run(Instant since, boolean apply, Operator operator) {
        Instant from = since != null ? since : clock.instant().minus(settings.defaultLookback());
        return succeededIntents(from, null, new ArrayList<>())
                .flatMap(intents -> Multi.createFrom().iterable(intents)
                        .onItem().transformToUni(intent -> checkout.byIntent(intent.path("id").asText())
                                .map(payment -> new Finding(intent, payment)))
                        .merge(LOOKUPS_AT_ONCE)
                        .collect().asList())
                .flatMap(findings -> {
                    List<Finding> missing = findings.stream().filter(f -> !f.applied())
                            .sorted((a, b) -> a.intent().path("id").asText().compareTo(b.intent().path("id").asText())).toList();
                    List<RecoveryReport.Repair> repairs = missing.stream().map(f -> repair(f, apply)).toList();
                    Uni<Integer> enqueued = apply ? enqueue(missing, operator) : Uni.createFrom().item(0);
                    return enqueued.map(n -> new RecoveryReport(apply, from, findings.size(), findings.size() - missing.size(),
                            repairs, n));
                })
                .onFailure(e -> !(e instanceof ProblemException)).transform(e -> {
                    LOG.warnf("Recovery run failed: %s", StripeCalls.describe(e));
                    return new ProblemException(ProblemType.RECOVERY_FAILED,
                            "Recovery could not reach Stripe or checkout-service; retry later");
                });
    }

    /**
     * For the payment doctor: sends checkout a {@code payment_intent.succeeded} for each of these
     * intents (as Stripe lists them now), exactly as an apply run does; idempotent.
     */
    public Uni<Integer> apply(List<JsonNode> intents, Operator operator) {
        return enqueue(intents.stream().map(intent -> new Finding(intent, Optional.empty())).toList(), operator);
    }

    /** Succeeded PaymentIntents made by checkout (they carry its metadata), newest first. */
    private Uni<List<JsonNode>> succeededIntents(Instant from, String startingAfter, List<JsonNode> found) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(Map.entry("limit", Integer.toString(PAGE)));
        params.add(Map.entry("created[gte]", Long.toString(from.getEpochSecond())));
        if (startingAfter != null) {
            params.add(Map.entry("starting_after", startingAfter));
        }
        return stripe.page("list payment intents", "/v1/payment_intents", params).flatMap(page -> {
            for (JsonNode intent : page.data()) {
                JsonNode metadata = intent.path("metadata");
                if ("succeeded".equals(intent.path("status").asText())
                        && (metadata.hasNonNull("payment_id") || metadata.hasNonNull("listing_id"))
                        && found.size() < settings.maxIntents()) {
                    found.add(intent);
                }
            }
            boolean more = page.hasMore() && page.lastId() != null && found.size() < settings.maxIntents();
            return more ? succeededIntents(from, page.lastId(), found) : Uni.createFrom().item(found);
        });
    }

    private RecoveryReport.Repair repair(Finding finding, boolean apply) {
        JsonNode intent = finding.intent();
        JsonNode metadata = intent.path("metadata");
        String status = finding.payment().map(p -> p.path("status").asText("unknown")).orElse("missing");
        String listingStatus = finding.payment().map(p -> p.path("listingStatus").asText(null)).orElse(null);
        return new RecoveryReport.Repair(intent.path("id").asText(), metadata.path("payment_id").asText(null),
                metadata.path("listing_id").asText(null), metadata.path("user_id").asText(null),
                metadata.path("payment_type").asText(null), intent.path("amount_received").asLong(intent.path("amount").asLong()),
                intent.path("currency").asText(null), status, listingStatus, eventId(intent),
                (apply ? "sent " : "would send ") + EVENT_TYPE + " to checkout");
    }

    private Uni<Integer> enqueue(List<Finding> missing, Operator operator) {
        if (missing.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<StripeEvent> events = missing.stream().map(f -> event(f.intent(), operator.requestId())).toList();
        return pool.withTransaction(connection -> store.store(connection, events)
                .flatMap(fresh -> requeueExisting(connection, events, fresh, operator)
                        .call(() -> audit.record(connection, applied(events, fresh, operator), operator.requestId()))))
                .invoke(() -> LOG.warnf("Recovery applied: %d payment_intent.succeeded events sent to checkout", events.size()))
                .replaceWith(events.size());
    }

    private Uni<Void> requeueExisting(io.vertx.mutiny.sqlclient.SqlConnection connection, List<StripeEvent> events,
            Set<String> fresh, Operator operator) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (StripeEvent event : events) {
            if (!fresh.contains(event.id())) {
                chain = chain.chain(() -> redispatch.requeue(connection, event.id(), operator.requestId()).replaceWithVoid());
            }
        }
        return chain;
    }

    private List<AuditOutbox.Entry> applied(List<StripeEvent> events, Set<String> fresh, Operator operator) {
        return events.stream().map(event -> new AuditOutbox.Entry(UUID.randomUUID(), "recovery.applied", "success", "admin",
                operator.adminId(), event.objectId(), operator.requestId(), null,
                Map.of("eventId", event.id(), "eventType", EVENT_TYPE, "mode", fresh.contains(event.id()) ? "stored" : "requeued")))
                .toList();
    }

    /** A {@code payment_intent.succeeded} event as Stripe shapes it, around the PaymentIntent as listed now. */
    private StripeEvent event(JsonNode intent, String requestId) {
        ObjectNode event = mapper.createObjectNode();
        event.put("id", eventId(intent));
        event.put("object", "event");
        event.putNull("api_version");
        event.put("created", clock.instant().getEpochSecond());
        event.putObject("data").set("object", intent);
        event.put("livemode", intent.path("livemode").asBoolean(false));
        event.put("pending_webhooks", 0);
        ObjectNode request = event.putObject("request");
        request.putNull("id");
        request.putNull("idempotency_key");
        event.put("type", EVENT_TYPE);
        return parser.event(parser.head(event), EventRoutes.CHECKOUT, stripe.json(event), StripeEvent.RECOVERY, requestId);
    }

    private static String eventId(JsonNode intent) {
        return "evt_recovered_" + intent.path("id").asText();
    }
}
