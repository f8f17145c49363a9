package org.villagehomepage.payments.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.model.PaymentIntent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.outbox.OutboxRelay;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;
import org.villagehomepage.payments.webhook.support.Db;
import org.villagehomepage.payments.webhook.support.Events;
import org.villagehomepage.payments.webhook.support.FakeServices;
import org.villagehomepage.payments.webhook.support.Payments;
import org.villagehomepage.payments.webhook.support.Signer;

/** The payment doctor: names what is wrong with a payment and repairs it through the normal paths. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
@QuarkusTestResource(FakeServices.class)
class PaymentDoctorTest {

    @Inject
    Pool pool;

    @Inject
    StripeClient stripe;

    @Inject
    OutboxRelay relay;

    @BeforeEach
    void clean() {
        StripeEmulatorResource.emulator().reset();
        Db.clean(pool);
        FakeServices.reset();
    }

    @Test
    void aPaymentWhoseEventNeverArrivedIsNamedThenRepairedOnce() {
        PaymentIntent lost = Payments.paid(stripe);
        FakeServices.PAYMENTS.put(lost.getId(), checkoutRow(lost, "requires_payment", "pending_payment"));

        JsonPath report = admin().get("/admin/api/webhooks/doctor/" + lost.getId())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(report.getBoolean("applied")).isFalse();
        assertThat(report.getString("payments[0].stripe.status")).isEqualTo("succeeded");
        assertThat(report.getString("payments[0].checkout.status")).isEqualTo("requires_payment");
        assertThat(report.getString("payments[0].findings[0].problem")).isEqualTo("event-missing");
        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event")).isZero(); // a look changes nothing

        JsonPath applied = admin().post("/admin/api/webhooks/doctor/" + lost.getId())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(applied.getInt("repaired")).isEqualTo(1);
        assertThat(applied.getString("payments[0].findings[0].outcome")).startsWith("repaired");
        assertThat(Db.count(
                        pool,
                        "SELECT count(*) FROM webhook_event WHERE object_id = $1 AND type = 'payment_intent.succeeded'",
                        lost.getId()))
                .isEqualTo(1);
        assertThat(Db.count(pool, "SELECT count(*) FROM outbox_message WHERE destination = 'checkout'"))
                .isEqualTo(1);
        // applying again stores nothing twice
        admin().post("/admin/api/webhooks/doctor/" + lost.getId()).then().statusCode(200);
        assertThat(Db.count(pool, "SELECT count(*) FROM webhook_event")).isEqualTo(1);
        assertThat(
                        Db.count(
                                pool,
                                "SELECT count(*) FROM outbox_message WHERE destination = 'audit' AND payload LIKE '%doctor.applied%'"))
                .isEqualTo(2);
    }

    @Test
    void aDeadDispatchIsFoundByListingAndRedelivered() {
        PaymentIntent paid = Payments.paid(stripe);
        String eventId = Events.newId();
        String payload = Events.of(eventId, "payment_intent.succeeded", paid.getId());
        // checkout refuses every delivery until the relay gives up on the message (3 attempts in tests)
        FakeServices.STRIPE_EVENTS_STATUS.set(503);
        given().contentType("application/json")
                .header("Stripe-Signature", Signer.header(payload))
                .body(payload)
                .post("/webhooks/stripe")
                .then()
                .statusCode(200);
        relayUntilQuiet();
        assertThat(Db.count(
                        pool, "SELECT count(*) FROM outbox_message WHERE destination = 'checkout' AND status = 'dead'"))
                .isEqualTo(1);
        FakeServices.STRIPE_EVENTS_STATUS.set(200); // checkout is back
        String listing = UUID.randomUUID().toString();
        FakeServices.PAYMENTS.put(paid.getId(), checkoutRow(paid, "requires_payment", "pending_payment"));
        FakeServices.SUBJECTS.put(listing, "[" + checkoutRow(paid, "requires_payment", "pending_payment") + "]");

        JsonPath report = admin().get("/admin/api/webhooks/doctor/" + listing)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(report.getString("payments[0].paymentIntentId")).isEqualTo(paid.getId());
        assertThat(report.getString("payments[0].events[0].status")).isEqualTo("dead");
        assertThat(report.getString("payments[0].findings[0].problem")).isEqualTo("dispatch-dead");

        admin().post("/admin/api/webhooks/doctor/" + listing).then().statusCode(200);
        assertThat(Db.count(
                        pool, "SELECT count(*) FROM outbox_message WHERE destination = 'checkout' AND status = 'dead'"))
                .isZero();
        relayUntilQuiet();
        assertThat(Db.count(
                        pool,
                        "SELECT count(*) FROM outbox_message WHERE destination = 'checkout' AND status = 'delivered'"))
                .isEqualTo(1);
        assertThat(
                        Db.count(
                                pool,
                                "SELECT count(*) FROM outbox_message WHERE destination = 'audit' AND payload LIKE '%webhook.replayed%'"))
                .isEqualTo(1);
    }

    @Test
    void onlySuperAdminsAndKnownSubjectKinds() {
        given().header("Authorization", Tokens.user(UUID.randomUUID()))
                .get("/admin/api/webhooks/doctor/pi_x")
                .then()
                .statusCode(403);
        admin().get("/admin/api/webhooks/doctor/not-an-id").then().statusCode(400);
    }

    /** The relay is off in tests; drive it until nothing is pending (as EventDispatchTest does). */
    private void relayUntilQuiet() {
        for (int i = 0;
                i < 1000 && Db.count(pool, "SELECT count(*) FROM outbox_message WHERE status = 'pending'") > 0;
                i++) {
            relay.relayDue().await().indefinitely();
        }
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().header("Authorization", Tokens.admin());
    }

    private static String checkoutRow(PaymentIntent pi, String status, String listingStatus) {
        return """
                {"paymentId":"%s","paymentIntentId":"%s","purpose":"posting_fee","status":"%s","listingId":"%s",
                 "listingStatus":"%s","userId":"%s","amount":500,"currency":"usd"}""".formatted(
                        pi.getMetadata().get("payment_id"),
                        pi.getId(),
                        status,
                        pi.getMetadata().get("listing_id"),
                        listingStatus,
                        pi.getMetadata().get("user_id"));
    }
}
