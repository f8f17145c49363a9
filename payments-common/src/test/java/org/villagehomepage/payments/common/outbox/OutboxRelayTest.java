package org.villagehomepage.payments.common.outbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.TestReceiver;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.testing.InternalAccess;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.Tokens;

@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@io.quarkus.test.junit.TestProfile(OutboxTestProfiles.FastRetries.class)
class OutboxRelayTest {

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
    void deliversAndRetriesAfterReceiverErrors() {
        UUID id = insert();
        receiver.failuresLeft.set(2);

        relayUntilQuiet();

        assertThat(status(id)).isEqualTo("delivered");
        assertThat(attempts(id)).isEqualTo(3);
        assertThat(receiver.deliveries.get(id.toString()).get()).isEqualTo(3);
        assertThat(receiver.applied.get(id.toString()).get()).isEqualTo(1);
    }

    @Test
    void parksMessageAsDeadAfterMaxAttemptsAndAdminCanRetryIt() {
        UUID id = insert();
        receiver.failuresLeft.set(1_000);

        relayUntilQuiet();

        assertThat(status(id)).isEqualTo("dead");
        assertThat(attempts(id)).isEqualTo(3);
        assertThat(receiver.applied).doesNotContainKey(id.toString());

        given().header("Authorization", Tokens.user(UUID.randomUUID()))
                .get("/admin/api/outbox/dead")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().get("/admin/api/outbox/dead").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", Tokens.admin())
                .get("/admin/api/outbox/dead")
                .then()
                .statusCode(200)
                .body("[0].id", equalTo(id.toString()))
                .body("[0].lastError", equalTo("HTTP 503"));

        receiver.failuresLeft.set(0);
        given().header("Authorization", Tokens.admin())
                .post("/admin/api/outbox/" + id + "/retry")
                .then()
                .statusCode(200);
        given().header("Authorization", Tokens.admin())
                .post("/admin/api/outbox/" + id + "/retry")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        relayUntilQuiet();

        assertThat(status(id)).isEqualTo("delivered");
        assertThat(receiver.applied.get(id.toString()).get()).isEqualTo(1);
    }

    @Test
    void twoRelaysRacingDeliverEveryMessageOnce() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            ids.add(insert());
        }

        for (int round = 0; round < 50 && pending() > 0; round++) {
            CompletableFuture<Integer> a = relay.relayDue().subscribeAsCompletionStage();
            CompletableFuture<Integer> b = relay.relayDue().subscribeAsCompletionStage();
            a.join();
            b.join();
        }

        assertThat(pending()).isZero();
        for (UUID id : ids) {
            assertThat(receiver.deliveries.get(id.toString()))
                    .as("deliveries of %s", id)
                    .hasValue(1);
            assertThat(status(id)).isEqualTo("delivered");
        }
    }

    @Test
    void theRelaySendsItsOwnIdentityToTheDestinationsAudience() {
        UUID id = insert();
        relayUntilQuiet();
        assertThat(status(id)).isEqualTo("delivered");
        assertThat(count(
                        "SELECT count(*) FROM processed_message WHERE message_id = $1 AND sender = 'test-service'",
                        id.toString()))
                .isEqualTo(1);
    }

    @Test
    void internalEndpointsRefuseEveryoneButTheirAllowedSenders() {
        String path = "/internal/test-receiver/messages";
        InternalAccess.assertOnlyAllowed(
                "test-service",
                new InternalAccess.Call("POST", path, "{}"),
                java.util.Set.of("test-service", ServiceNames.CHECKOUT));
    }

    private io.restassured.response.Response send(String sender, String messageId) {
        return given().header("Authorization", Tokens.service(sender, "test-service"))
                .header("X-Message-Id", messageId)
                .contentType("application/json")
                .body("{}")
                .post("/internal/test-receiver/messages");
    }

    private long count(String sql, String arg) {
        return pool.preparedQuery(sql)
                .execute(Tuple.of(arg))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    private void relayUntilQuiet() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (pending() > 0 && System.nanoTime() < deadline) {
            relay.relayDue().await().indefinitely();
        }
    }

    private UUID insert() {
        UUID id = UUID.randomUUID();
        pool.preparedQuery(
                        "INSERT INTO outbox_message (id, destination, path, payload) VALUES ($1, 'test', '/internal/test-receiver/messages', $2)")
                .execute(Tuple.of(id, "{\"n\":1}"))
                .await()
                .indefinitely();
        return id;
    }

    private long pending() {
        return pool.query("SELECT count(*) FROM outbox_message WHERE status = 'pending'")
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    private String status(UUID id) {
        return row(id).getString("status");
    }

    private int attempts(UUID id) {
        return row(id).getInteger("attempts");
    }

    private Row row(UUID id) {
        return pool.preparedQuery("SELECT status, attempts FROM outbox_message WHERE id = $1")
                .execute(Tuple.of(id))
                .await()
                .indefinitely()
                .iterator()
                .next();
    }
}
