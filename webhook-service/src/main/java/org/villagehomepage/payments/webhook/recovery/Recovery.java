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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.contract.PaymentOverview;
import org.villagehomepage.payments.common.contract.RestoredPayment;
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
 * Disaster recovery with Stripe as the source of truth (operations guide, "Stripe data as source of
 * truth"): rebuilds what a restored database lacks, not only what it has but never applied.
 * <ul>
 * <li>Payments: Stripe's succeeded PaymentIntents with checkout's metadata, against checkout's
 * payments. Each one checkout lacks or has not applied goes, posting fees first, then oldest first (a listing's posting fee
 * before its promotions), to checkout's {@code /internal/payments/restore}: checkout re-creates the
 * lost payment (and a posting fee's lost listing) from the metadata and applies the
 * {@code payment_intent.succeeded} as a webhook would (activation, promotion). An intent refunded in
 * full at Stripe is reported, not re-applied: what it bought was taken back.</li>
 * <li>Refunds: Stripe's succeeded refunds of those payments (or carrying the suite's request id)
 * that refund-service has no record of go to refund-service as {@code refund.updated} events through
 * the store and outbox, like a delivery; refund-service restores its own requests under their ids.</li>
 * </ul>
 * Idempotent: event ids derive from Stripe's ids, checkout and refund-service apply each once.
 */
@ApplicationScoped
public class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class);
    private static final String EVENT_TYPE = "payment_intent.succeeded";
    private static final String REFUND_EVENT_TYPE = "refund.updated";
    private static final int PAGE = 100;
    private static final int LOOKUPS_AT_ONCE = 4;

    private final StripeLists stripe;
    private final CheckoutPayments checkout;
    private final RefundRecords refundRecords;
    private final StripeEventParser parser;
    private final EventStore store;
    private final Redispatch redispatch;
    private final AuditOutbox audit;
    private final Pool pool;
    private final ObjectMapper mapper;
    private final WebhookSettings.Recovery settings;
    private final Clock clock;

    public Recovery(
            StripeLists stripe,
            CheckoutPayments checkout,
            RefundRecords refundRecords,
            StripeEventParser parser,
            EventStore store,
            Redispatch redispatch,
            AuditOutbox audit,
            Pool pool,
            ObjectMapper mapper,
            WebhookSettings settings,
            Clock clock) {
        this.stripe = stripe;
        this.checkout = checkout;
        this.refundRecords = refundRecords;
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
    public record Operator(String adminId, String requestId) {}

    private record Finding(JsonNode intent, Optional<PaymentOverview> payment) {

        boolean applied() {
            return payment.isPresent()
                    && "succeeded".equalsIgnoreCase(payment.get().status());
        }

        String id() {
            return intent.path("id").asText();
        }
    }

    public Uni<RecoveryReport> run(Instant since, boolean apply, Operator operator) {
        Instant from = since != null ? since : clock.instant().minus(settings.defaultLookback());
        return succeededIntents(from, null, new ArrayList<>())
                .flatMap(intents -> Multi.createFrom()
                        .iterable(intents)
                        .onItem()
                        .transformToUni(
                                intent -> checkout.byIntent(intent.path("id").asText())
                                        .map(payment -> new Finding(intent, payment)))
                        .merge(LOOKUPS_AT_ONCE)
                        .collect()
                        .asList())
                .flatMap(findings -> succeededRefunds(from, null, new ArrayList<>())
                        .flatMap(refunds -> rebuild(from, findings, refunds, apply, operator)))
                .onFailure(e -> !(e instanceof ProblemException))
                .transform(e -> {
                    LOG.warnf("Recovery run failed: %s", StripeCalls.describe(e));
                    return new ProblemException(
                            ProblemType.RECOVERY_FAILED,
                            "Recovery could not reach Stripe, checkout-service or refund-service; retry later");
                });
    }

    private Uni<RecoveryReport> rebuild(
            Instant from, List<Finding> findings, List<JsonNode> refunds, boolean apply, Operator operator) {
        Set<String> ours = new java.util.HashSet<>();
        findings.forEach(f -> ours.add(f.id()));
        Map<String, Long> refunded = new HashMap<>();
        List<JsonNode> candidates = new ArrayList<>();
        for (JsonNode refund : refunds) {
            String intent = refund.path("payment_intent").asText("");
            refunded.merge(intent, refund.path("amount").asLong(), Long::sum);
            if (ours.contains(intent) || refund.path("metadata").hasNonNull("refund_request_id")) {
                candidates.add(refund);
            }
        }
        // posting fees first, then oldest first: a promotion's listing must exist before the promotion
        // is restored, and Stripe's `created` has whole seconds (a fee and its promotion may share one)
        List<Finding> missing = findings.stream()
                .filter(f -> !f.applied())
                .sorted(Comparator.<Finding>comparingInt(f -> isPostingFee(f) ? 0 : 1)
                        .thenComparingLong(f -> f.intent().path("created").asLong())
                        .thenComparing(Finding::id))
                .toList();
        return Multi.createFrom()
                .iterable(candidates)
                .onItem()
                .transformToUni(refund ->
                        refundRecords.knows(refund.path("id").asText()).map(known -> known ? null : refund))
                .merge(LOOKUPS_AT_ONCE)
                .filter(java.util.Objects::nonNull)
                .collect()
                .asList()
                .flatMap(lostRefunds -> {
                    List<JsonNode> sorted = lostRefunds.stream()
                            .sorted(Comparator.<JsonNode>comparingLong(
                                            r -> r.path("created").asLong())
                                    .thenComparing(r -> r.path("id").asText()))
                            .toList();
                    Uni<List<RecoveryReport.Repair>> repairs = apply
                            ? restoreAll(missing, refunded, operator)
                            : Uni.createFrom()
                                    .item(missing.stream()
                                            .map(f -> repair(f, refunded, null))
                                            .toList());
                    return repairs.flatMap(done -> (apply
                                    ? enqueueRefunds(sorted, operator)
                                    : Uni.createFrom().item(0))
                            .map(enqueued -> new RecoveryReport(
                                    apply,
                                    from,
                                    findings.size(),
                                    findings.size() - missing.size(),
                                    done,
                                    enqueued,
                                    candidates.size(),
                                    sorted.stream()
                                            .map(r -> refundRepair(r, apply))
                                            .toList())));
                });
    }

    /** One at a time, in order; each answer says what checkout re-created and how the payment was applied. */
    private Uni<List<RecoveryReport.Repair>> restoreAll(
            List<Finding> missing, Map<String, Long> refunded, Operator operator) {
        return Multi.createFrom()
                .iterable(missing)
                .onItem()
                .transformToUniAndConcatenate(finding -> refundedInFull(finding, refunded)
                        ? Uni.createFrom().item(repair(finding, refunded, null))
                        : checkout.restore(stripe.json(eventJson(finding.intent())))
                                .map(answer -> repair(finding, refunded, answer))
                                // one payment checkout cannot restore does not hold up the others; the next dry run
                                // lists it again
                                .onFailure()
                                .recoverWithItem(e -> {
                                    LOG.warnf(
                                            "Recovery could not restore %s: %s", finding.id(), StripeCalls.describe(e));
                                    return failed(repair(finding, refunded, null), e);
                                }))
                .collect()
                .asList()
                .call(done -> done.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : pool.withTransaction(connection -> audit.record(
                                connection,
                                done.stream()
                                        .map(r -> new AuditOutbox.Entry(
                                                UUID.randomUUID(),
                                                "recovery.applied",
                                                "success",
                                                "admin",
                                                operator.adminId(),
                                                r.paymentIntentId(),
                                                operator.requestId(),
                                                null,
                                                Map.of(
                                                        "eventId",
                                                        r.eventId(),
                                                        "eventType",
                                                        EVENT_TYPE,
                                                        "mode",
                                                        "restore",
                                                        "result",
                                                        String.valueOf(r.action()))))
                                        .toList(),
                                operator.requestId())))
                .invoke(done -> LOG.warnf("Recovery applied: %d payments sent to checkout to restore", done.size()));
    }

    private static RecoveryReport.Repair failed(RecoveryReport.Repair r, Throwable e) {
        return new RecoveryReport.Repair(
                r.paymentIntentId(),
                r.paymentId(),
                r.listingId(),
                r.userId(),
                r.paymentType(),
                r.amount(),
                r.currency(),
                r.checkoutStatus(),
                r.listingStatus(),
                r.eventId(),
                "failed: " + StripeCalls.describe(e) + "; run again");
    }

    private static boolean refundedInFull(Finding finding, Map<String, Long> refunded) {
        JsonNode intent = finding.intent();
        long received =
                intent.path("amount_received").asLong(intent.path("amount").asLong());
        return received > 0 && refunded.getOrDefault(finding.id(), 0L) >= received;
    }

    /**
     * For the payment doctor: sends checkout a {@code payment_intent.succeeded} for each of these
     * intents (as Stripe lists them now) through the store and outbox; idempotent.
     */
    public Uni<Integer> apply(List<JsonNode> intents, Operator operator) {
        if (intents.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<StripeEvent> events = intents.stream()
                .map(this::eventJson)
                .map(event -> parser.event(
                        parser.head(event),
                        EventRoutes.CHECKOUT,
                        stripe.json(event),
                        StripeEvent.RECOVERY,
                        operator.requestId()))
                .toList();
        return enqueue(events, EVENT_TYPE, operator);
    }

    /** Succeeded PaymentIntents made by checkout (they carry its metadata), newest first. */
    private Uni<List<JsonNode>> succeededIntents(Instant from, String startingAfter, List<JsonNode> found) {
        return stripe.page("list payment intents", "/v1/payment_intents", params(from, startingAfter))
                .flatMap(page -> {
                    for (JsonNode intent : page.data()) {
                        JsonNode metadata = intent.path("metadata");
                        if ("succeeded".equals(intent.path("status").asText())
                                && (metadata.hasNonNull("payment_id") || metadata.hasNonNull("listing_id"))
                                && found.size() < settings.maxIntents()) {
                            found.add(intent);
                        }
                    }
                    boolean more = page.hasMore() && page.lastId() != null && found.size() < settings.maxIntents();
                    return more
                            ? succeededIntents(from, page.lastId(), found)
                            : Uni.createFrom().item(found);
                });
    }

    /** Succeeded refunds made since {@code from}, newest first (pending and failed ones changed no money). */
    private Uni<List<JsonNode>> succeededRefunds(Instant from, String startingAfter, List<JsonNode> found) {
        return stripe.page("list refunds", "/v1/refunds", params(from, startingAfter))
                .flatMap(page -> {
                    for (JsonNode refund : page.data()) {
                        if ("succeeded".equals(refund.path("status").asText())
                                && found.size() < settings.maxIntents()) {
                            found.add(refund);
                        }
                    }
                    boolean more = page.hasMore() && page.lastId() != null && found.size() < settings.maxIntents();
                    return more
                            ? succeededRefunds(from, page.lastId(), found)
                            : Uni.createFrom().item(found);
                });
    }

    private static List<Map.Entry<String, String>> params(Instant from, String startingAfter) {
        List<Map.Entry<String, String>> params = new ArrayList<>();
        params.add(Map.entry("limit", Integer.toString(PAGE)));
        params.add(Map.entry("created[gte]", Long.toString(from.getEpochSecond())));
        if (startingAfter != null) {
            params.add(Map.entry("starting_after", startingAfter));
        }
        return params;
    }

    private RecoveryReport.Repair repair(Finding finding, Map<String, Long> refunded, RestoredPayment answer) {
        JsonNode intent = finding.intent();
        JsonNode metadata = intent.path("metadata");
        String status = finding.payment()
                .map(p -> Objects.requireNonNullElse(p.status(), "unknown"))
                .orElse("missing");
        String listingStatus =
                finding.payment().map(PaymentOverview::listingStatus).orElse(null);
        String action;
        if (refundedInFull(finding, refunded)) {
            action = "not re-applied: refunded in full at Stripe";
        } else if (answer == null) {
            action = finding.payment().isPresent()
                    ? "would apply the payment in checkout"
                    : "would re-create the payment"
                            + ("posting_fee"
                                            .equals(metadata.path("payment_type")
                                                    .asText())
                                    ? " (and the listing if lost)"
                                    : "")
                            + " in checkout and apply it";
        } else {
            List<String> restored = new ArrayList<>();
            if (answer.listingRestored()) {
                restored.add("listing");
            }
            if (answer.paymentRestored()) {
                restored.add("payment");
            }
            action = (restored.isEmpty() ? "" : "re-created " + String.join(" and ", restored) + "; ") + "checkout: "
                    + Objects.requireNonNullElse(answer.outcome(), "unknown");
        }
        return new RecoveryReport.Repair(
                intent.path("id").asText(),
                metadata.path("payment_id").asText(null),
                metadata.path("listing_id").asText(null),
                metadata.path("user_id").asText(null),
                metadata.path("payment_type").asText(null),
                intent.path("amount_received").asLong(intent.path("amount").asLong()),
                intent.path("currency").asText(null),
                status,
                listingStatus,
                eventId(intent),
                action);
    }

    private RecoveryReport.RefundRepair refundRepair(JsonNode refund, boolean apply) {
        JsonNode metadata = refund.path("metadata");
        return new RecoveryReport.RefundRepair(
                refund.path("id").asText(),
                refund.path("payment_intent").asText(null),
                refund.path("amount").asLong(),
                refund.path("currency").asText(null),
                metadata.path("refund_request_id").asText(null),
                metadata.path("refund_reason").asText(null),
                "evt_recovered_" + refund.path("id").asText(),
                (apply ? "sent " : "would send ") + REFUND_EVENT_TYPE + " to refund-service (restores its record)");
    }

    private Uni<Integer> enqueueRefunds(List<JsonNode> refunds, Operator operator) {
        List<StripeEvent> events = refunds.stream()
                .map(refund -> {
                    ObjectNode event =
                            envelope("evt_recovered_" + refund.path("id").asText(), REFUND_EVENT_TYPE, refund);
                    return parser.event(
                            parser.head(event),
                            EventRoutes.REFUND,
                            stripe.json(event),
                            StripeEvent.RECOVERY,
                            operator.requestId());
                })
                .toList();
        return enqueue(events, REFUND_EVENT_TYPE, operator);
    }

    /** Stores the events once and queues them for their service; events stored by an earlier run are queued again. */
    private Uni<Integer> enqueue(List<StripeEvent> events, String type, Operator operator) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return pool.withTransaction(connection -> store.store(connection, events)
                        .flatMap(fresh -> requeueExisting(connection, events, fresh, operator)
                                .call(() -> audit.record(
                                        connection, applied(events, fresh, type, operator), operator.requestId()))))
                .invoke(() -> LOG.warnf("Recovery applied: %d %s events enqueued", events.size(), type))
                .replaceWith(events.size());
    }

    private Uni<Void> requeueExisting(
            io.vertx.mutiny.sqlclient.SqlConnection connection,
            List<StripeEvent> events,
            Set<String> fresh,
            Operator operator) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (StripeEvent event : events) {
            if (!fresh.contains(event.id())) {
                chain = chain.chain(() -> redispatch
                        .requeue(connection, event.id(), operator.requestId())
                        .replaceWithVoid());
            }
        }
        return chain;
    }

    private List<AuditOutbox.Entry> applied(
            List<StripeEvent> events, Set<String> fresh, String type, Operator operator) {
        return events.stream()
                .map(event -> new AuditOutbox.Entry(
                        UUID.randomUUID(),
                        "recovery.applied",
                        "success",
                        "admin",
                        operator.adminId(),
                        event.objectId(),
                        operator.requestId(),
                        null,
                        Map.of(
                                "eventId",
                                event.id(),
                                "eventType",
                                type,
                                "mode",
                                fresh.contains(event.id()) ? "stored" : "requeued")))
                .toList();
    }

    /** A {@code payment_intent.succeeded} event as Stripe shapes it, around the PaymentIntent as listed now. */
    private ObjectNode eventJson(JsonNode intent) {
        return envelope(eventId(intent), EVENT_TYPE, intent);
    }

    private ObjectNode envelope(String id, String type, JsonNode object) {
        ObjectNode event = mapper.createObjectNode();
        event.put("id", id);
        event.put("object", "event");
        event.putNull("api_version");
        event.put("created", clock.instant().getEpochSecond());
        event.putObject("data").set("object", object);
        event.put("livemode", object.path("livemode").asBoolean(false));
        event.put("pending_webhooks", 0);
        ObjectNode request = event.putObject("request");
        request.putNull("id");
        request.putNull("idempotency_key");
        event.put("type", type);
        return event;
    }

    private static String eventId(JsonNode intent) {
        return "evt_recovered_" + intent.path("id").asText();
    }

    private static boolean isPostingFee(Finding finding) {
        return "posting_fee"
                .equals(finding.intent().path("metadata").path("payment_type").asText());
    }
}
