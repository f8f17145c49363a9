package org.villagehomepage.payments.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.stripe.StripeClient;
import com.stripe.model.PaymentIntent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.outbox.SqlOutbox;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;
import org.villagehomepage.payments.emulator.DeliveryAttempt;
import org.villagehomepage.payments.emulator.FaultSettings;
import org.villagehomepage.payments.emulator.StripeEmulator;
import org.villagehomepage.payments.webhook.support.Db;
import org.villagehomepage.payments.webhook.support.FakeServices;
import org.villagehomepage.payments.webhook.support.Payments;
import org.villagehomepage.payments.webhook.support.Signer;

/** Reconciliation finds the events whose delivery Stripe (the emulator) dropped. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
@QuarkusTestResource(FakeServices.class)
class ReconciliationTest {

    @Inject
    Pool pool;

    @Inject
    StripeClient stripe;

    @Inject
    MeterRegistry registry;

    @BeforeEach
    void clean() {
        StripeEmulatorResource.emulator().reset();
        Db.clean(pool);
        FakeServices.reset();
    }

    @Test
    void findsDroppedEventsDispatchesThemAndMovesTheCheckpoint() {
        StripeEmulator emulator = StripeEmulatorResource.emulator();
        emulator.addWebhookEndpoint(
                "http://localhost:" + RestAssured.port + "/webhooks/stripe", List.of(Signer.TEST_SECRET), List.of("*"));
        emulator.faults().deliveries(FaultSettings.DeliveryFaults.none().withDropRate(1.0));
        List<PaymentIntent> intents = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            intents.add(Payments.paid(stripe));
        }
        emulator.flushDeliveries();
        assertThat(emulator.awaitDeliveriesIdle(Duration.ofSeconds(10))).isTrue();
        assertThat(emulator.deliveries()).isNotEmpty().allMatch(DeliveryAttempt::dropped);
        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event")).isZero();
        double missingBefore = registry.find("homepage_webhooks_reconciliation_missing")
                .counter()
                .count();

        given().header("Authorization", Tokens.admin())
                .post("/admin/api/webhooks/reconciliation/run")
                .then()
                .statusCode(200)
                .body("found", equalTo(3))
                .body("listed", equalTo(3));

        for (PaymentIntent intent : intents) {
            List<io.vertx.mutiny.sqlclient.Row> rows = Db.rows(
                    pool,
                    "SELECT event_id, source FROM webhook_event WHERE object_id = $1 AND type = 'payment_intent.succeeded'",
                    intent.getId());
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0).getString("source")).isEqualTo("reconciliation");
            assertThat(Db.count(
                            pool,
                            "SELECT count(*) FROM outbox_message WHERE id = $1",
                            SqlOutbox.idFor("checkout:" + rows.get(0).getString("event_id"))))
                    .isEqualTo(1);
        }
        assertThat(registry.find("homepage_webhooks_reconciliation_missing")
                        .counter()
                        .count())
                .isEqualTo(missingBefore + 3);
        assertThat(
                        Db.count(
                                pool,
                                "SELECT count(*) FROM outbox_message WHERE destination = 'audit' AND payload LIKE '%reconciliation.completed%'"))
                .isEqualTo(1);
        assertThat(
                        Db.count(
                                pool,
                                "SELECT count(*) FROM reconciliation_checkpoint WHERE checkpoint IS NOT NULL AND lease_until IS NULL"))
                .isEqualTo(1);

        // A second run lists the same window (overlap) and finds nothing new.
        given().header("Authorization", Tokens.admin())
                .post("/admin/api/webhooks/reconciliation/run")
                .then()
                .statusCode(200)
                .body("found", equalTo(0))
                .body("listed", equalTo(3));
        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event")).isEqualTo(3);
    }

    @Test
    void aRunWhileAnotherHoldsTheCheckpointIsRefused() {
        Db.run(
                pool,
                "UPDATE reconciliation_checkpoint SET lease_token = $1, lease_until = now() + interval '5 minutes'",
                UUID.randomUUID());

        given().header("Authorization", Tokens.admin())
                .post("/admin/api/webhooks/reconciliation/run")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
        given().header("Authorization", Tokens.user(UUID.randomUUID()))
                .post("/admin/api/webhooks/reconciliation/run")
                .then()
                .statusCode(403);

        // A crashed run's lease expires and the next run goes ahead.
        Db.run(pool, "UPDATE reconciliation_checkpoint SET lease_until = now() - interval '1 second'");
        given().header("Authorization", Tokens.admin())
                .contentType("application/json")
                .body("{}")
                .post("/admin/api/webhooks/reconciliation/run")
                .then()
                .statusCode(200)
                .body("found", equalTo(0));
    }
}
