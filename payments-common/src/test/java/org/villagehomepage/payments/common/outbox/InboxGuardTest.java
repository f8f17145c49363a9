package org.villagehomepage.payments.common.outbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.TestReceiver;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.Tokens;

/** The receiving side of the outbox: a message id is applied once per verified sender. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
class InboxGuardTest {

    @Inject
    Pool pool;

    @Inject
    TestReceiver receiver;

    @BeforeEach
    void clean() {
        pool.query("TRUNCATE processed_message").execute().await().indefinitely();
        receiver.applied.clear();
        receiver.failuresLeft.set(0);
        receiver.statusFor.clear();
        receiver.holdUntil.clear();
        receiver.delayMillis.set(0);
    }

    @Test
    void receiverAppliesTheSameMessageIdOnce() {
        String messageId = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            send("test-service", messageId).then().statusCode(204);
        }
        assertThat(count("SELECT count(*) FROM processed_message WHERE message_id = $1", messageId))
                .isEqualTo(1);
        assertThat(receiver.applied.get(messageId).get()).isEqualTo(1);
    }

    @Test
    void aMessageIdClaimedByOneSenderDoesNotSuppressAnotherSendersMessage() {
        // checkout-service pre-claims an id that test-service will use (predictable ids, a compromised sender).
        String messageId = UUID.randomUUID().toString();
        send(ServiceNames.CHECKOUT, messageId).then().statusCode(204);
        send(ServiceNames.CHECKOUT, messageId).then().statusCode(204);
        assertThat(receiver.applied.get(messageId).get()).isEqualTo(1);

        send("test-service", messageId).then().statusCode(204);
        send("test-service", messageId).then().statusCode(204);

        assertThat(receiver.applied.get(messageId).get())
                .as("the second sender's message is applied, once")
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM processed_message WHERE message_id = $1", messageId))
                .isEqualTo(2);
        assertThat(count(
                        "SELECT count(*) FROM processed_message WHERE message_id = $1 AND sender = 'test-service'",
                        messageId))
                .isEqualTo(1);
    }

    @Test
    void idsRememberedBeforeIdsWerePerSenderStillCountAsSeen() {
        String messageId = UUID.randomUUID().toString();
        pool.preparedQuery("INSERT INTO processed_message (sender, message_id) VALUES ('legacy', $1)")
                .execute(Tuple.of(messageId))
                .await()
                .indefinitely();
        send("test-service", messageId).then().statusCode(204);
        assertThat(receiver.applied.get(messageId)).isNull();
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
}
