package org.villagehomepage.payments.checkout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.security.ServiceAllowlist;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.testing.InternalAccess;
import org.villagehomepage.payments.common.testing.InternalAccess.Call;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.TestKeys;
import org.villagehomepage.payments.common.testing.Tokens;

/**
 * Issue 12: every row of checkout's allowlist admits its sender and nobody else, and the forgeries
 * a compromised service could try change nothing in Postgres.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class InternalTrustTest extends CheckoutTestBase {

    @Inject
    ServiceAllowlist allowlist;

    /** A request for each row; a new row without a sample here fails the test. */
    private static Map<String, Call> samples() {
        UUID someone = UUID.randomUUID();
        return Map.of(
                "POST /internal/stripe-events",
                        new Call("POST", "/internal/stripe-events", "{\"id\":\"evt_x\",\"type\":\"charge.refunded\"}"),
                "POST /internal/users/{userId}/ban",
                        new Call(
                                "POST",
                                "/internal/users/" + someone + "/ban",
                                "{\"reason\":\"chargebacks\",\"chargebacks\":2}"),
                "POST /internal/users/{userId}/unban",
                        new Call("POST", "/internal/users/" + someone + "/unban", "{\"reason\":\"won\"}"),
                "GET /internal/payments/by-intent/{paymentIntentId}",
                        new Call("GET", "/internal/payments/by-intent/pi_123", null),
                "GET /internal/payments/captured",
                        new Call(
                                "GET",
                                "/internal/payments/captured?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z",
                                null),
                "GET /internal/payments/by-subject/{id}",
                        new Call("GET", "/internal/payments/by-subject/" + someone, null),
                "POST /internal/payments/restore",
                        new Call(
                                "POST",
                                "/internal/payments/restore",
                                "{\"id\":\"evt_x\",\"type\":\"charge.refunded\"}"));
    }

    @Test
    void everyAllowlistRowAdmitsItsSendersOnly() {
        assertThat(allowlist.rows()).containsOnlyKeys(samples().keySet());
        assertThat(allowlist.rows())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "POST /internal/stripe-events", Set.of(ServiceNames.WEBHOOK),
                        "POST /internal/users/{userId}/ban", Set.of(ServiceNames.REFUND),
                        "POST /internal/users/{userId}/unban", Set.of(ServiceNames.REFUND),
                        "GET /internal/payments/by-intent/{paymentIntentId}", Set.of(ServiceNames.WEBHOOK),
                        "GET /internal/payments/captured", Set.of(ServiceNames.WEBHOOK),
                        "GET /internal/payments/by-subject/{id}", Set.of(ServiceNames.WEBHOOK),
                        "POST /internal/payments/restore", Set.of(ServiceNames.WEBHOOK)));
        allowlist
                .rows()
                .forEach((row, senders) -> InternalAccess.assertOnlyAllowed(
                        ServiceNames.CHECKOUT, samples().get(row), senders));
    }

    @Test
    void aForgedPaymentSucceededFromAuditServiceActivatesNothing() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, HOUSING);
        String intent = newIntentId();
        UUID payment = insertPayment(listing, "posting_fee", 500, intent);
        String eventId = "evt_" + UUID.randomUUID();
        String forged = event(eventId, "payment_intent.succeeded", intent, 500, "usd", metadataOf(payment));

        // audit-service's own identity, and audit-service's key claiming to be webhook-service.
        for (String token : new String[] {
            Tokens.service(ServiceNames.AUDIT, ServiceNames.CHECKOUT),
            Tokens.serviceSignedWith(
                    ServiceNames.WEBHOOK,
                    ServiceNames.CHECKOUT,
                    TestKeys.service(ServiceNames.AUDIT).getPrivate()),
            Tokens.serviceFromUserIdp(ServiceNames.WEBHOOK, ServiceNames.CHECKOUT),
            Tokens.admin()
        }) {
            given().header("Authorization", token)
                    .header("X-Message-Id", UUID.randomUUID().toString())
                    .contentType("application/json")
                    .body(forged)
                    .post("/internal/stripe-events")
                    .then()
                    .statusCode(org.hamcrest.Matchers.oneOf(401, 403))
                    .contentType("application/problem+json");
        }

        assertThat(listingStatus(listing)).isEqualTo("pending_payment");
        assertThat(one("SELECT status FROM payment WHERE id = $1", payment).getString(0))
                .isEqualTo("requires_payment");
        assertThat(count("SELECT count(*) FROM processed_message WHERE message_id = $1", "stripe-event:" + eventId))
                .as("nothing remembered for refused calls")
                .isZero();

        // The same event from webhook-service is applied.
        deliver(forged).then().statusCode(200);
        assertThat(listingStatus(listing)).isEqualTo("active");
    }

    @Test
    void noServiceButRefundServiceCanBanAndNoServiceCanRejectAListing() {
        UUID user = UUID.randomUUID();
        for (String sender : new String[] {ServiceNames.AUDIT, ServiceNames.WEBHOOK, ServiceNames.CHECKOUT}) {
            as(sender)
                    .header("X-Message-Id", UUID.randomUUID().toString())
                    .body("{\"reason\":\"chargebacks\",\"chargebacks\":2}")
                    .post("/internal/users/" + user + "/ban")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
        }
        assertThat(count("SELECT count(*) FROM user_standing WHERE user_id = $1", user))
                .isZero();

        UUID listing = createListing(user, FOR_SALE);
        for (String service : ServiceNames.ALL) {
            as(service)
                    .body("{\"reason\":\"spam\"}")
                    .post("/admin/api/marketplace/listings/" + listing + "/reject")
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json");
            given().header("Authorization", Tokens.adminFromServiceKey(service))
                    .contentType("application/json")
                    .body("{\"reason\":\"spam\"}")
                    .post("/admin/api/marketplace/listings/" + listing + "/reject")
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json");
        }
        asUser(user)
                .body("{\"reason\":\"spam\"}")
                .post("/admin/api/marketplace/listings/" + listing + "/reject")
                .then()
                .statusCode(403);
        assertThat(listingStatus(listing)).isEqualTo("active");
        asModerator()
                .body("{\"reason\":\"spam\"}")
                .post("/admin/api/marketplace/listings/" + listing + "/reject")
                .then()
                .statusCode(200);
        assertThat(listingStatus(listing)).isEqualTo("rejected");
    }
}
