package org.villagehomepage.payments.webhook.retention;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.outbox.QueueScans;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.webhook.WebhookSettings;

/**
 * Data minimisation ("only Stripe identifiers retained"): stored events older than
 * {@code webhook.retention.raw-payload} keep only the fields the suite reads (ids, amounts,
 * currency, status, metadata with the suite's own ids, refund and dispute amounts); billing
 * details, emails, card brand/last4/expiry, addresses and everything else are dropped. Batches
 * with SKIP LOCKED, so replicas share the work. docs/data-retention.md lists what is kept where.
 */
@ApplicationScoped
public class PayloadRedaction {

    public static final String COUNTER = "homepage_webhooks_payloads_redacted";
    private static final Logger LOG = Logger.getLogger(PayloadRedaction.class);

    /** Fields of the event's data.object kept as they are. */
    static final Set<String> KEPT = Set.of(
            "id",
            "object",
            "amount",
            "amount_received",
            "amount_captured",
            "amount_refunded",
            "currency",
            "status",
            "metadata",
            "payment_intent",
            "charge",
            "latest_charge",
            "created",
            "livemode",
            "captured",
            "refunded",
            "disputed",
            "paid",
            "reason",
            "failure_code",
            "cancellation_reason",
            "balance_transaction");
    /** Of nested objects, only these fields. */
    static final Set<String> KEPT_ERROR = Set.of("code", "decline_code", "type");

    static final Set<String> KEPT_REFUND =
            Set.of("id", "object", "amount", "currency", "status", "created", "payment_intent", "charge", "reason");

    private final Pool pool;
    private final ObjectMapper mapper;
    private final WebhookSettings.Retention settings;
    private final Clock clock;
    private final Counter redacted;

    public PayloadRedaction(
            Pool pool, ObjectMapper mapper, WebhookSettings settings, Clock clock, MeterRegistry registry) {
        this.pool = pool;
        this.mapper = mapper;
        this.settings = settings.retention();
        this.clock = clock;
        this.redacted = registry.counter(COUNTER);
    }

    @Scheduled(
            every = "${webhook.retention.every:1h}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Disabled.class)
    Uni<Void> scheduled() {
        return runOnce()
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("Payload redaction: %d stored events reduced to the fields the suite keeps", n);
                    }
                })
                .onFailure()
                .recoverWithItem(e -> {
                    LOG.warnf("Payload redaction failed, the next run retries: %s", FailureKind.of(e));
                    return 0;
                })
                .replaceWithVoid();
    }

    /** Batches until nothing older than the retention period is left; returns how many events were redacted. */
    public Uni<Integer> runOnce() {
        return batch().chain(n -> n == 0 ? Uni.createFrom().item(0) : runOnce().map(more -> n + more));
    }

    private Uni<Integer> batch() {
        OffsetDateTime cutoff =
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minus(settings.rawPayload());
        // a queue over webhook_event_unredacted, planned with its parameters every time
        return QueueScans.inTransaction(
                        pool,
                        connection -> connection
                                .preparedQuery("""
                        SELECT event_id, payload FROM webhook_event WHERE redacted_at IS NULL AND received_at < $1
                        ORDER BY received_at LIMIT $2 FOR UPDATE SKIP LOCKED""")
                                .execute(Tuple.of(cutoff, settings.batchSize()))
                                .chain(rows -> {
                                    List<Tuple> updates = new ArrayList<>();
                                    for (Row row : rows) {
                                        updates.add(
                                                Tuple.of(redact(row.getString("payload")), row.getString("event_id")));
                                    }
                                    if (updates.isEmpty()) {
                                        return Uni.createFrom().item(0);
                                    }
                                    return connection
                                            .preparedQuery(
                                                    "UPDATE webhook_event SET payload = $1, redacted_at = now() WHERE event_id = $2")
                                            .executeBatch(updates)
                                            .map(done -> updates.size());
                                }))
                .invoke(n -> redacted.increment(n));
    }

    /** The event with its object reduced to {@link #KEPT}; a payload that is not JSON becomes an empty object. */
    String redact(String payload) {
        JsonNode event;
        try {
            event = mapper.readTree(payload);
        } catch (Exception e) {
            return "{\"redacted\":true}";
        }
        ObjectNode out = mapper.createObjectNode();
        for (String field : List.of("id", "object", "api_version", "created", "livemode", "type")) {
            if (event.has(field)) {
                out.set(field, event.get(field));
            }
        }
        out.put("redacted", true);
        JsonNode object = event.path("data").path("object");
        ObjectNode kept = only(object, KEPT);
        if (object.path("last_payment_error").isObject()) {
            kept.set("last_payment_error", only(object.get("last_payment_error"), KEPT_ERROR));
        }
        if (object.path("refunds").path("data").isArray()) {
            ArrayNode refunds = mapper.createArrayNode();
            object.get("refunds").get("data").forEach(refund -> refunds.add(only(refund, KEPT_REFUND)));
            kept.putObject("refunds").put("object", "list").set("data", refunds);
        }
        out.putObject("data").set("object", kept);
        return out.toString();
    }

    private ObjectNode only(JsonNode node, Set<String> fields) {
        ObjectNode kept = mapper.createObjectNode();
        node.fields().forEachRemaining(field -> {
            if (fields.contains(field.getKey())) {
                kept.set(field.getKey(), field.getValue());
            }
        });
        return kept;
    }

    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {

        private final boolean enabled;

        public Disabled(WebhookSettings settings) {
            this.enabled = settings.retention().enabled();
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !enabled;
        }
    }
}
