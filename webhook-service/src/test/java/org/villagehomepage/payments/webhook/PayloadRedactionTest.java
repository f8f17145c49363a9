package org.villagehomepage.payments.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.webhook.retention.PayloadRedaction;
import org.villagehomepage.payments.webhook.support.Db;
import org.villagehomepage.payments.webhook.support.FakeServices;

/** Raw payloads older than the retention period keep only what the suite needs. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
@QuarkusTestResource(FakeServices.class)
class PayloadRedactionTest {

    private static final String CHARGE_EVENT = """
            {"id":"%s","object":"event","api_version":"2026-07-29.dahlia","created":1700000000,"livemode":false,
             "type":"charge.refunded","data":{"object":{"id":"ch_1","object":"charge","amount":500,"amount_refunded":500,
             "amount_captured":500,"currency":"usd","status":"succeeded","payment_intent":"pi_1","refunded":true,
             "metadata":{"listing_id":"550e8400-e29b-41d4-a716-446655440000","user_id":"7d7c4b1e-0000-4000-8000-000000000001"},
             "billing_details":{"name":"Jane Doe","email":"jane@example.com","address":{"line1":"1 Main St"}},
             "receipt_email":"jane@example.com",
             "payment_method_details":{"card":{"brand":"visa","last4":"4242","exp_month":12,"exp_year":2030}},
             "last_payment_error":{"code":"card_declined","message":"Your card was declined, Jane"},
             "refunds":{"object":"list","data":[{"id":"re_1","amount":500,"currency":"usd","status":"succeeded",
               "charge":"ch_1","payment_intent":"pi_1","receipt_number":"1234-5678"}]}}}}""";

    @Inject
    Pool pool;

    @Inject
    PayloadRedaction redaction;

    @BeforeEach
    void clean() {
        Db.clean(pool);
    }

    @Test
    void oldPayloadsLoseEveryPersonalDetailAndKeepAmountsIdsAndMetadata() throws Throwable {
        // ids without the digit 4: a random hex id once contained "4242", the last4 the test looks for
        String old = "evt_old_" + UUID.randomUUID().toString().replace("-", "").replace('4', 'x');
        String recent =
                "evt_new_" + UUID.randomUUID().toString().replace("-", "").replace('4', 'x');
        insert(old, "31 days");
        insert(recent, "29 days");

        assertThat(VertxContextSupport.<Integer>subscribeAndAwait(redaction::runOnce))
                .isEqualTo(1);

        String redacted = Db.rows(pool, "SELECT payload FROM webhook_event WHERE event_id = $1", old)
                .get(0)
                .getString(0);
        assertThat(redacted)
                .doesNotContain("Jane")
                .doesNotContain("jane@example.com")
                .doesNotContain("4242")
                .doesNotContain("visa")
                .doesNotContain("exp_month")
                .doesNotContain("Main St")
                .doesNotContain("1234-5678")
                .doesNotContain("Your card was declined");
        assertThat(redacted)
                .contains("\"amount_refunded\":500")
                .contains("\"payment_intent\":\"pi_1\"")
                .contains("\"listing_id\":\"550e8400-e29b-41d4-a716-446655440000\"")
                .contains("\"code\":\"card_declined\"")
                .contains("\"re_1\"")
                .contains("\"type\":\"charge.refunded\"")
                .contains("\"redacted\":true");
        assertThat(Db.count(
                        pool,
                        "SELECT count(*) FROM webhook_event WHERE event_id = $1 AND redacted_at IS NOT NULL",
                        old))
                .isEqualTo(1);
        // within the period: untouched, byte for byte
        assertThat(Db.rows(pool, "SELECT payload FROM webhook_event WHERE event_id = $1", recent)
                        .get(0)
                        .getString(0))
                .isEqualTo(CHARGE_EVENT.formatted(recent));
        // a second run has nothing left to do
        assertThat(VertxContextSupport.<Integer>subscribeAndAwait(redaction::runOnce))
                .isZero();
    }

    private void insert(String eventId, String age) {
        Db.run(pool, """
                INSERT INTO webhook_event (event_id, type, object_id, created, livemode, payload, source, destination, message_id,
                    received_at, processed_at)
                VALUES ($1, 'charge.refunded', 'ch_1', now(), false, $2, 'delivery', 'refund', $3,
                    now() - $4::text::interval, now() - $4::text::interval)""", eventId, CHARGE_EVENT.formatted(eventId), UUID.randomUUID(), age);
    }
}
