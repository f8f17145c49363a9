package org.villagehomepage.payments.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.model.PaymentIntent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.outbox.SqlOutbox;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.emulator.DeliveryAttempt;
import org.villagehomepage.payments.emulator.FaultSettings;
import org.villagehomepage.payments.emulator.StripeEmulator;
import org.villagehomepage.payments.webhook.event.EventRoutes;
import org.villagehomepage.payments.webhook.support.Db;
import org.villagehomepage.payments.webhook.support.FakeServices;
import org.villagehomepage.payments.webhook.support.Payments;
import org.villagehomepage.payments.webhook.support.Signer;

/** Events delivered by the stripe-emulator itself, with duplicates racing and shuffled order. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
@QuarkusTestResource(FakeServices.class)
class EmulatorDeliveryTest {

    @Inject
    Pool pool;

    @Inject
    StripeClient stripe;

    @BeforeEach
    void clean() {
        StripeEmulatorResource.emulator().reset();
        Db.clean(pool);
        FakeServices.reset();
    }

    @Test
    void duplicatedAndShuffledDeliveriesReachOneRowAndOneMessageEach() {
        StripeEmulator emulator = StripeEmulatorResource.emulator();
        emulator.addWebhookEndpoint(
                "http://localhost:" + RestAssured.port + "/webhooks/stripe", List.of(Signer.TEST_SECRET), List.of("*"));
        emulator.faults()
                .deliveries(FaultSettings.DeliveryFaults.none()
                        .withDuplicates(1.0, 3)
                        .withShuffle(true));
        List<PaymentIntent> intents = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            intents.add(Payments.paid(stripe));
        }
        Payments.refund(stripe, intents.get(0).getId());

        emulator.flushDeliveries();
        assertThat(emulator.awaitDeliveriesIdle(Duration.ofSeconds(30))).isTrue();

        List<DeliveryAttempt> attempts = emulator.deliveries();
        assertThat(attempts).allMatch(DeliveryAttempt::succeeded, "every delivery acknowledged with 2xx");
        Set<String> handled = attempts.stream()
                .filter(a -> EventRoutes.destination(a.eventType()).isPresent())
                .map(DeliveryAttempt::eventId)
                .collect(Collectors.toSet());
        long handledAttempts = attempts.stream()
                .filter(a -> EventRoutes.destination(a.eventType()).isPresent())
                .count();
        assertThat(handledAttempts).as("each handled event came three times").isEqualTo(3L * handled.size());
        // 6 payment_intent.succeeded, then charge.refunded and refund.created
        assertThat(handled).hasSize(8);
        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event")).isEqualTo(handled.size());
        for (String eventId : handled) {
            String destination = Db.rows(pool, "SELECT destination FROM webhook_event WHERE event_id = $1", eventId)
                    .get(0)
                    .getString("destination");
            assertThat(Db.count(
                            pool,
                            "SELECT count(*) FROM outbox_message WHERE id = $1",
                            SqlOutbox.idFor(destination + ":" + eventId)))
                    .isEqualTo(1);
        }
        assertThat(Db.count(pool, "SELECT count(*) FROM outbox_message WHERE destination = 'checkout'"))
                .isEqualTo(6);
        assertThat(Db.count(pool, "SELECT count(*) FROM outbox_message WHERE destination = 'refund'"))
                .isEqualTo(2);
    }
}
