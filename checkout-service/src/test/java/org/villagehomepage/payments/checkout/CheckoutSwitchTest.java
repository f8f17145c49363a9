package org.villagehomepage.payments.checkout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;

/** The kill switch: new payments stop with a 503 problem, everything already paid keeps flowing. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class CheckoutSwitchTest extends CheckoutTestBase {

    private static final String ADMIN = "6f0c2a54-5c4e-4a57-9d0e-0000000000aa";

    private static io.restassured.specification.RequestSpecification asAdmin() {
        return given().header("Authorization", Tokens.withGroups(ADMIN, "super_admin"))
                .contentType("application/json");
    }

    @AfterEach
    void resume() {
        asAdmin()
                .body(Map.of("accepting", true, "reason", "test over"))
                .put("/admin/api/marketplace/checkout-switch")
                .then()
                .statusCode(200);
    }

    @Test
    void pausedCheckoutsAnswer503WhileWebhooksStillApplyPayments() {
        UUID user = UUID.randomUUID();
        UUID paid = createListing(user, HOUSING);
        UUID waiting = createListing(user, HOUSING);
        String intent = newIntentId();
        UUID payment = insertPayment(waiting, "posting_fee", 500, intent);
        long pausedAuditsBefore = count(
                "SELECT count(*) FROM outbox_message WHERE destination = 'audit' "
                        + "AND payload::jsonb -> 'events' -> 0 ->> 'action' = 'checkout.paused' "
                        + "AND payload::jsonb -> 'events' -> 0 ->> 'actorId' = $1",
                ADMIN);

        asAdmin()
                .body(Map.of("accepting", false, "reason", "rollback step 1"))
                .put("/admin/api/marketplace/checkout-switch")
                .then()
                .statusCode(200)
                .body("accepting", equalTo(false))
                .body("switchAccepting", equalTo(false));

        checkout(user, paid)
                .then()
                .statusCode(503)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("urn:problem:payments:checkout-paused"))
                .header("Retry-After", equalTo("300"));
        promote(user, paid, "featured").then().statusCode(503);
        assertThat(count("SELECT count(*) FROM payment WHERE listing_id = $1", paid))
                .isZero();
        assertThat(one("SELECT accepting, changed_by, reason FROM checkout_switch WHERE id = 1")
                        .getString("changed_by"))
                .isEqualTo(ADMIN);
        assertThat(count(
                        "SELECT count(*) FROM outbox_message WHERE destination = 'audit' "
                                + "AND payload::jsonb -> 'events' -> 0 ->> 'action' = 'checkout.paused' "
                                + "AND payload::jsonb -> 'events' -> 0 ->> 'actorId' = $1",
                        ADMIN))
                .isEqualTo(pausedAuditsBefore + 1);

        // A payment made before the switch still lands: webhooks are not paused.
        deliver(event("evt_" + UUID.randomUUID(), "payment_intent.succeeded", intent, 500, "usd", metadataOf(payment)))
                .then()
                .statusCode(200);
        assertThat(listingStatus(waiting)).isEqualTo("active");

        asAdmin()
                .get("/admin/api/marketplace/checkout-switch")
                .then()
                .statusCode(200)
                .body("accepting", equalTo(false))
                .body("reason", equalTo("rollback step 1"));
        asAdmin()
                .body(Map.of("accepting", true, "reason", "incident closed"))
                .put("/admin/api/marketplace/checkout-switch")
                .then()
                .statusCode(200)
                .body("accepting", equalTo(true));
        checkout(user, paid).then().statusCode(200).body("paymentIntentId", startsWith("pi_"));
        assertThat(count("SELECT count(*) FROM payment WHERE listing_id = $1", paid))
                .isEqualTo(1);
    }

    @Test
    void onlySuperAdminsFlipTheSwitchAndAReasonIsRequired() {
        asUser(UUID.randomUUID())
                .body(Map.of("accepting", false, "reason", "x"))
                .put("/admin/api/marketplace/checkout-switch")
                .then()
                .statusCode(403);
        asAdmin()
                .body(Map.of("accepting", false))
                .put("/admin/api/marketplace/checkout-switch")
                .then()
                .statusCode(400);
        assertThat(one("SELECT accepting FROM checkout_switch WHERE id = 1").getBoolean(0))
                .isTrue();
    }

    @Test
    void adminReadsAreAudited() {
        long before = count(
                "SELECT count(*) FROM outbox_message WHERE destination = 'audit' "
                        + "AND payload::jsonb -> 'events' -> 0 ->> 'action' = 'admin.read' "
                        + "AND payload::jsonb -> 'events' -> 0 ->> 'actorId' = $1",
                ADMIN);
        asAdmin().get("/admin/api/marketplace/checkout-switch").then().statusCode(200);
        asAdmin().queryParam("limit", "5").get("/admin/api/outbox/dead").then().statusCode(200);
        assertThat(count(
                        "SELECT count(*) FROM outbox_message WHERE destination = 'audit' "
                                + "AND payload::jsonb -> 'events' -> 0 ->> 'action' = 'admin.read' "
                                + "AND payload::jsonb -> 'events' -> 0 ->> 'actorId' = $1",
                        ADMIN))
                .isEqualTo(before + 2);
        assertThat(count("SELECT count(*) FROM outbox_message WHERE destination = 'audit' "
                        + "AND payload::jsonb -> 'events' -> 0 ->> 'action' = 'admin.read' "
                        + "AND payload::jsonb -> 'events' -> 0 -> 'details' ->> 'path' = '/admin/api/outbox/dead' "
                        + "AND payload::jsonb -> 'events' -> 0 -> 'details' ->> 'query.limit' = '5'"))
                .isGreaterThanOrEqualTo(1);
    }
}
