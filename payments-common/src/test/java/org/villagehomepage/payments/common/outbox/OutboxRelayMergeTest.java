package org.villagehomepage.payments.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.TestReceiver;
import org.villagehomepage.payments.common.testing.JwtKeysResource;

/**
 * Issue 14: messages to a merged path (audit-service's events) leave several per request, and
 * every message is still applied exactly once and recorded as its own outcome; one refused event
 * goes dead alone, a receiver that is down retries them all. Counts offered, delivered, stored,
 * lost and doubled in Postgres.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@TestProfile(OutboxTestProfiles.Merged.class)
class OutboxRelayMergeTest {

    private static final String EVENTS = "/internal/test-receiver/events";
    private static final String MESSAGES = "/internal/test-receiver/messages";

    @Inject
    OutboxRelay relay;

    @Inject
    Pool pool;

    @Inject
    TestReceiver receiver;

    @BeforeEach
    void clean() {
        pool.query("TRUNCATE outbox_message, processed_message")
                .execute()
                .await()
                .indefinitely();
        receiver.reset();
    }

    @Test
    void dueMessagesToAMergedPathTravelTwentyFivePerRequestAndEachIsStoredOnce() {
        List<UUID> merged = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            merged.add(insert(EVENTS, events("e" + i)));
        }
        UUID twoEvents = insert(EVENTS, events("pair-a", "pair-b"));
        UUID notOnlyEvents = insert(EVENTS, "{\"events\":[{\"id\":\"extra\"}],\"note\":\"x\"}");
        List<UUID> alone = List.of(insert(MESSAGES, "{}"), insert(MESSAGES, "{}"), insert(MESSAGES, "{}"));

        assertThat(relay.relayDue().await().indefinitely()).isEqualTo(65);

        // 62 events of 61 mergeable messages in requests of at most 25; the body with another key alone
        assertThat(receiver.eventRequests).hasSize(4);
        assertThat(receiver.eventRequests.stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(63);
        assertThat(receiver.eventRequests).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(25));
        assertThat(receiver.eventRequestsWithMessageId)
                .as("only the message sent alone names its message id")
                .hasValue(1);
        for (UUID id : alone) {
            assertThat(receiver.deliveries.get(id.toString())).hasValue(1);
        }
        assertThat(count("SELECT count(*) FROM outbox_message WHERE status = 'delivered' AND attempts = 1"))
                .as("every message delivered, each on its first attempt")
                .isEqualTo(65);
        assertThat(
                        count(
                                "SELECT count(*) FROM processed_message WHERE sender = 'test-service' AND message_id ~ '^e[0-9]+$'"))
                .as("each of the 60 events stored, none lost, none doubled")
                .isEqualTo(60);
        assertThat(count("SELECT count(*) FROM processed_message WHERE message_id IN ('pair-a', 'pair-b', 'extra')"))
                .isEqualTo(3);
        assertThat(receiver.eventsAccepted).hasSize(63);
        assertThat(receiver.eventsAccepted.values())
                .as("no event sent twice")
                .allSatisfy(n -> assertThat(n).hasValue(1));
        for (UUID id : List.of(merged.get(0), merged.get(59), twoEvents, notOnlyEvents)) {
            assertThat(row(id).getString("status")).isEqualTo("delivered");
        }
    }

    @Test
    void aRefusedMergedRequestIsSentAgainOneByOneSoOnlyTheBadEventGoesDead() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(insert(EVENTS, events("m" + i)));
        }
        receiver.refusedEvents.add("m4");

        assertThat(relay.relayDue().await().indefinitely()).isEqualTo(10);

        assertThat(receiver.eventRequests)
                .as("the merged request, then each message alone")
                .containsExactly(10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1);
        Row bad = row(ids.get(4));
        assertThat(bad.getString("status")).isEqualTo("dead");
        assertThat(bad.getInteger("attempts")).isEqualTo(1);
        assertThat(bad.getString("last_error")).isEqualTo("HTTP 400");
        assertThat(count("SELECT count(*) FROM outbox_message WHERE status = 'delivered' AND attempts = 1"))
                .isEqualTo(9);
        assertThat(count("SELECT count(*) FROM processed_message WHERE message_id LIKE 'm%'"))
                .as("the nine good events stored once, the bad one not")
                .isEqualTo(9);
    }

    @Test
    void aReceiverThatIsDownMakesEveryMergedMessageRetryAndNoneIsLostOrDoubled() {
        for (int i = 0; i < 30; i++) {
            insert(EVENTS, events("r" + i));
        }
        receiver.failuresLeft.set(2); // both merged requests of the first cycle
        receiver.failureStatus.set(503);

        assertThat(relay.relayDue().await().indefinitely()).isEqualTo(30);
        assertThat(
                        count(
                                "SELECT count(*) FROM outbox_message WHERE status = 'pending' AND attempts = 1 AND last_error = 'HTTP 503'"))
                .as("each message a failed attempt of its own, due again")
                .isEqualTo(30);
        assertThat(count("SELECT count(*) FROM processed_message")).isZero();

        for (int round = 0;
                round < 50 && count("SELECT count(*) FROM outbox_message WHERE status = 'pending'") > 0;
                round++) {
            relay.relayDue().await().indefinitely();
            sleep(); // the backoff is a few milliseconds in this profile
        }

        assertThat(count("SELECT count(*) FROM outbox_message WHERE status = 'delivered' AND attempts = 2"))
                .isEqualTo(30);
        assertThat(receiver.eventsAccepted).hasSize(30);
        assertThat(receiver.eventsAccepted.values())
                .as("each accepted once, after the failed attempt")
                .allSatisfy(n -> assertThat(n).hasValue(1));
        assertThat(count("SELECT count(*) FROM processed_message WHERE message_id LIKE 'r%'"))
                .as("30 offered, 30 stored once")
                .isEqualTo(30);
    }

    /**
     * A backlog of large messages (audit batches after a receiver outage) is claimed a budget of
     * bytes at a time (outbox.relay.claim-max-bytes, 2 MiB): one claim of 256 such messages held
     * 16 MB of JSON and ran webhook-service out of its 96 MiB heap on every cycle, so the backlog
     * never left. Each cycle answers how many were due, so the relay claims again at once.
     */
    @Test
    void aBacklogOfLargeMessagesIsClaimedABudgetOfBytesAtATime() {
        String pad = "x".repeat(5000);
        List<UUID> large = new ArrayList<>();
        long[] sizes = new long[40];
        for (int m = 0; m < 40; m++) {
            StringBuilder body = new StringBuilder("{\"events\":[");
            for (int e = 0; e < 20; e++) {
                body.append(e == 0 ? "" : ",")
                        .append("{\"id\":\"large-")
                        .append(m)
                        .append('-')
                        .append(e)
                        .append("\",\"pad\":\"")
                        .append(pad)
                        .append("\"}");
            }
            String payload = body.append("]}").toString();
            sizes[m] = payload.length();
            large.add(insert(EVENTS, payload));
            sleep(); // distinct available_at: the claim takes the oldest first
        }
        long budget = 2L * 1024 * 1024;

        assertThat(relay.relayDue().await().indefinitely()).as("due").isEqualTo(40);

        int fit = 0;
        for (long before = 0; fit < sizes.length && before < budget; fit++) {
            before += sizes[fit];
        }
        assertThat(fit).isBetween(2, 39);
        for (int m = 0; m < 40; m++) {
            assertThat(row(large.get(m)).getString("status"))
                    .as("message %d", m)
                    .isEqualTo(m < fit ? "delivered" : "pending");
        }

        for (int cycle = 0;
                cycle < 10 && count("SELECT count(*) FROM outbox_message WHERE status = 'pending'") > 0;
                cycle++) {
            relay.relayDue().await().indefinitely();
        }
        assertThat(count("SELECT count(*) FROM outbox_message WHERE status = 'delivered' AND attempts = 1"))
                .isEqualTo(40);
        assertThat(receiver.eventsAccepted).hasSize(800);
        assertThat(receiver.eventsAccepted.values())
                .allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    }

    @Test
    void aRequestThatCannotBeBuiltIsAFailedAttemptOfItsOwnAndTheOthersAreRecorded() {
        UUID broken = UUID.randomUUID();
        pool.preparedQuery(
                        "INSERT INTO outbox_message (id, destination, path, payload) VALUES ($1, 'broken', $2, '{}')")
                .execute(Tuple.of(broken, MESSAGES))
                .await()
                .indefinitely();
        List<UUID> good = List.of(insert(EVENTS, events("b1")), insert(MESSAGES, "{}"));

        assertThat(relay.relayDue().await().indefinitely()).isEqualTo(3);

        Row failed = row(broken);
        assertThat(failed.getString("status")).isEqualTo("pending");
        assertThat(failed.getInteger("attempts")).as("counted, so it backs off").isEqualTo(1);
        assertThat(failed.getString("last_error")).isNotNull();
        for (UUID id : good) {
            assertThat(row(id).getString("status")).isEqualTo("delivered");
        }
        assertThat(count("SELECT count(*) FROM outbox_message WHERE claimed_until IS NOT NULL"))
                .as("every claim given up")
                .isZero();
    }

    private static String events(String... ids) {
        StringBuilder body = new StringBuilder("{\"events\":[");
        for (int i = 0; i < ids.length; i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\":\"").append(ids[i]).append("\",\"amount\":1500}");
        }
        return body.append("]}").toString();
    }

    private UUID insert(String path, String payload) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("INSERT INTO outbox_message (id, destination, path, payload) VALUES ($1, 'test', $2, $3)")
                .execute(Tuple.of(id, path, payload))
                .await()
                .indefinitely();
        return id;
    }

    private Row row(UUID id) {
        return pool.preparedQuery("SELECT status, attempts, last_error FROM outbox_message WHERE id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next();
    }

    private long count(String sql) {
        return pool.query(sql)
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
