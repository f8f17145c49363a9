package org.villagehomepage.payments.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.outbox.SqlOutbox;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.PreparedPlans;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.webhook.audit.AuditOutbox;
import org.villagehomepage.payments.webhook.event.EventStore;
import org.villagehomepage.payments.webhook.event.StripeEvent;
import org.villagehomepage.payments.webhook.support.Db;
import org.villagehomepage.payments.webhook.support.Events;
import org.villagehomepage.payments.webhook.support.FakeServices;

/**
 * Issue 14: the event rows, their outbox messages and the batch's audit message are written by one
 * statement. Batches are composed here by hand (duplicates inside one, across two, new and known
 * mixed) and every effect is read back from Postgres.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
@QuarkusTestResource(FakeServices.class)
class EventStoreTest {

    @Inject
    Pool pool;

    @Inject
    EventStore store;

    @Inject
    ObjectMapper mapper;

    @BeforeEach
    void clean() {
        Db.clean(pool);
    }

    @Test
    void copiesOfOneEventInOneBatchAreOneRowOneDispatchAndOneAuditEntry() throws Exception {
        StripeEvent event = payment(Events.newId());

        Set<String> fresh = store(List.of(event, event, copyOf(event)));

        assertThat(fresh).containsExactly(event.id());
        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event")).isEqualTo(1);
        assertThat(dispatchIds()).containsExactly(event.id());
        assertThat(auditedEventIds()).containsExactly(List.of(event.id()));
    }

    @Test
    void aCopyInALaterBatchWritesNothingAtAll() throws Exception {
        StripeEvent event = payment(Events.newId());
        store(List.of(event));

        Set<String> fresh = store(List.of(copyOf(event)));

        assertThat(fresh).isEmpty();
        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event")).isEqualTo(1);
        assertThat(dispatchIds()).containsExactly(event.id());
        // no second (empty) audit message either
        assertThat(auditedEventIds()).containsExactly(List.of(event.id()));
    }

    @Test
    void aBatchMixingNewAndKnownEventsDispatchesAndAuditsOnlyTheNewOnes() throws Exception {
        StripeEvent a = payment(Events.newId());
        StripeEvent b = refund(Events.newId());
        StripeEvent c = payment(Events.newId());
        StripeEvent d = refund(Events.newId());
        store(List.of(a, b));

        Set<String> fresh = store(List.of(d, copyOf(b), c, copyOf(a), c));

        assertThat(fresh).containsExactlyInAnyOrder(c.id(), d.id());
        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event")).isEqualTo(4);
        assertThat(dispatchIds()).containsExactlyInAnyOrder(a.id(), b.id(), c.id(), d.id());
        for (StripeEvent event : List.of(a, b, c, d)) {
            List<Row> messages = Db.rows(
                    pool,
                    "SELECT destination, path, payload, request_id FROM outbox_message WHERE id = $1",
                    SqlOutbox.idFor(event.destination() + ":" + event.id()));
            assertThat(messages).hasSize(1);
            Row message = messages.get(0);
            assertThat(message.getString("destination")).isEqualTo(event.destination());
            assertThat(message.getString("path")).isEqualTo("/internal/stripe-events");
            assertThat(message.getString("payload"))
                    .isEqualTo(
                            event.destination().equals("checkout")
                                    ? "{\"events\":[" + event.payload() + "]}"
                                    : event.payload());
            assertThat(message.getString("request_id")).isEqualTo(event.requestId());
            Row row = Db.rows(
                            pool,
                            "SELECT source, destination, message_id FROM webhook_event WHERE event_id = $1",
                            event.id())
                    .get(0);
            assertThat(row.getString("destination")).isEqualTo(event.destination());
            assertThat(row.getUUID("message_id")).isEqualTo(event.messageId());
        }
        // one audit message per batch, each naming exactly the events that batch stored
        assertThat(auditedEventIds())
                .containsExactlyInAnyOrder(
                        List.of(a.id(), b.id()).stream().sorted().toList(),
                        List.of(c.id(), d.id()).stream().sorted().toList());
        JsonNode entry = auditEntries().stream()
                .filter(e -> e.path("details").path("eventId").asText().equals(d.id()))
                .findFirst()
                .orElseThrow();
        assertThat(entry.path("action").asText()).isEqualTo("webhook.received");
        assertThat(entry.path("service").asText()).isEqualTo("webhook-service");
        assertThat(entry.path("actorType").asText()).isEqualTo("stripe");
        assertThat(entry.path("requestId").asText()).isEqualTo(d.requestId());
        assertThat(entry.path("details").path("destination").asText()).isEqualTo("refund");
        assertThat(entry.path("id").asText())
                .isEqualTo(SqlOutbox.idFor("webhook.received:" + d.id()).toString());
    }

    @Test
    void anEventIsNeverStoredWithoutItsOutboxMessage() {
        StripeEvent payment = payment(Events.newId());
        StripeEvent refund = refund(Events.newId());
        // the outbox part of the statement fails for the refund event's message only
        Db.run(
                pool,
                "ALTER TABLE outbox_message ADD CONSTRAINT test_no_refund_messages CHECK (destination <> 'refund') NOT VALID");
        try {
            assertThatThrownBy(() -> store(List.of(payment, refund)))
                    .isInstanceOf(PgException.class)
                    .hasMessageContaining("test_no_refund_messages");
        } finally {
            Db.run(pool, "ALTER TABLE outbox_message DROP CONSTRAINT test_no_refund_messages");
        }

        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event")).isZero();
        assertThat(Db.count(pool, "SELECT count(*) FROM outbox_message")).isZero();
    }

    /**
     * Disaster recovery stores up to thousands of events in one call: their webhook.received entries
     * were one audit message (about 400 bytes each), which audit-service refuses past 256 KiB or
     * 1,000 entries, and a refused message goes dead.
     */
    @Test
    void aLargeStoreAuditsInMessagesAuditServiceAccepts() throws Exception {
        List<StripeEvent> events = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            events.add(refund(Events.newId()));
        }

        Set<String> fresh = pool.withTransaction(connection -> store.store(connection, events))
                .await()
                .indefinitely();

        assertThat(fresh).hasSize(700);
        assertThat(dispatchIds()).hasSize(700);
        List<List<String>> messages = auditedEventIds();
        assertThat(messages.stream().mapToInt(List::size).sum()).isEqualTo(700);
        assertThat(messages)
                .allSatisfy(ids -> assertThat(ids).hasSizeLessThanOrEqualTo(AuditOutbox.MAX_EVENTS_PER_MESSAGE));
        assertThat(Db.count(pool, "SELECT max(octet_length(payload)) FROM outbox_message WHERE destination = 'audit'"))
                .isLessThanOrEqualTo(256 * 1024);
    }

    /**
     * Issue 14: webhook-service lets Postgres cache a generic plan for the intake's keyed statement
     * (plan_cache_mode=auto): after its first custom plans it runs without being planned again.
     * Counted by Postgres, per connection, in pg_prepared_statements.
     */
    @Test
    void theIntakeStatementRunsItsCachedGenericPlan() {
        PreparedPlans.Count plans = PreparedPlans.onOneConnection(
                pool,
                "WITH batch AS%INSERT INTO webhook_event%",
                connection -> store.store(connection, List.of(payment(Events.newId()))));

        assertThat(plans.mode()).isEqualTo("auto");
        assertThat(plans.generic()).isGreaterThan(0);
        assertThat(plans.generic() + plans.custom()).isGreaterThanOrEqualTo(PreparedPlans.EXECUTIONS);
    }

    private Set<String> store(List<StripeEvent> events) {
        return store.store(events).await().indefinitely();
    }

    private List<String> dispatchIds() {
        return Db.rows(
                        pool,
                        "SELECT e.event_id FROM outbox_message o JOIN webhook_event e ON e.message_id = o.id"
                                + " WHERE o.destination <> 'audit'")
                .stream()
                .map(r -> r.getString(0))
                .toList();
    }

    /** Per audit message, the event ids of its webhook.received entries, sorted. */
    private List<List<String>> auditedEventIds() throws Exception {
        List<List<String>> messages = new ArrayList<>();
        for (Row row : Db.rows(pool, "SELECT payload FROM outbox_message WHERE destination = 'audit'")) {
            List<String> ids = new ArrayList<>();
            for (JsonNode entry : mapper.readTree(row.getString("payload")).path("events")) {
                assertThat(entry.path("action").asText()).isEqualTo("webhook.received");
                ids.add(entry.path("details").path("eventId").asText());
            }
            messages.add(ids.stream().sorted().toList());
        }
        return messages;
    }

    private List<JsonNode> auditEntries() throws Exception {
        List<JsonNode> entries = new ArrayList<>();
        for (Row row : Db.rows(pool, "SELECT payload FROM outbox_message WHERE destination = 'audit'")) {
            mapper.readTree(row.getString("payload")).path("events").forEach(entries::add);
        }
        return entries;
    }

    private static StripeEvent payment(String id) {
        return event(id, "payment_intent.succeeded", "pi_" + id.substring(4), "checkout");
    }

    private static StripeEvent refund(String id) {
        return event(id, "charge.refunded", "ch_" + id.substring(4), "refund");
    }

    private static StripeEvent event(String id, String type, String objectId, String destination) {
        return new StripeEvent(
                id,
                type,
                Instant.now(),
                false,
                objectId,
                destination,
                Events.of(id, type, objectId),
                StripeEvent.DELIVERY,
                "req-" + id);
    }

    /** Another delivery of the same event: same id and payload, its own request. */
    private static StripeEvent copyOf(StripeEvent event) {
        return new StripeEvent(
                event.id(),
                event.type(),
                event.created(),
                event.livemode(),
                event.objectId(),
                event.destination(),
                event.payload(),
                event.source(),
                "req-copy-" + event.id());
    }
}
