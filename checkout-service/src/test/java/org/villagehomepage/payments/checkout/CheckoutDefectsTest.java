package org.villagehomepage.payments.checkout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

/** Issue 13's checkout defects, against the stripe-emulator, effects counted in Postgres and at Stripe. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class CheckoutDefectsTest extends CheckoutTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Issue 13.6: the canceled event is late (or dead); the next checkout must not hand out the canceled intent. */
    @Test
    void aCanceledIntentIsNeverHandedOutAndTheListingCanStillBePaid() throws Exception {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, HOUSING);
        String first = checkout(user, listing).then().statusCode(200).extract().path("paymentIntentId");
        stripePost("/v1/payment_intents/" + first + "/cancel");
        assertThat(stripeGet("/v1/payment_intents/" + first).path("status").asText())
                .isEqualTo("canceled");

        Response again = checkout(user, listing);
        again.then().statusCode(200).body("amount", equalTo(500));
        String second = again.path("paymentIntentId");
        assertThat(second).isNotEqualTo(first);
        assertThat(stripeGet("/v1/payment_intents/" + second).path("status").asText())
                .isEqualTo("requires_payment_method");
        assertThat(one("SELECT status FROM payment WHERE payment_intent_id = $1", first)
                        .getString(0))
                .isEqualTo("canceled");
        assertThat(count("SELECT count(*) FROM payment WHERE listing_id = $1", listing))
                .isEqualTo(2);
        assertThat(count(
                        "SELECT count(*) FROM payment WHERE listing_id = $1 AND status IN ('creating', 'requires_payment', 'failed')",
                        listing))
                .isEqualTo(1);

        // the listing can be paid with the new intent; the late canceled event changes nothing
        given().contentType("application/json")
                .body(Map.of("card", "success"))
                .post(StripeEmulatorResource.emulator().apiBase() + "/_emulator/payment_intents/" + second + "/pay")
                .then()
                .statusCode(200)
                .body("status", equalTo("succeeded"));
        deliver(stripeEvent("payment_intent.succeeded", second))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("succeeded"));
        deliver(stripeEvent("payment_intent.canceled", first)).then().statusCode(200);
        assertThat(listingStatus(listing)).isEqualTo("active");
    }

    /** Issue 13.9: moderation rejects a listing with paid promotions: every paid payment is refunded, once. */
    @Test
    void rejectingAListingRefundsItsPaidPromotionsToo() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, HOUSING);
        paid(listing, "posting_fee", 500);
        paid(listing, "promotion_featured", 500);
        paid(listing, "promotion_bump", 200);

        for (int i = 0; i < 2; i++) {
            asModerator()
                    .body("{\"reason\":\"prohibited item\"}")
                    .post("/admin/api/marketplace/listings/" + listing + "/reject")
                    .then()
                    .statusCode(200);
        }
        assertThat(listingStatus(listing)).isEqualTo("rejected");
        assertThat(count("""
                SELECT count(*) FROM outbox_message WHERE destination = 'refund' AND payload::jsonb ->> 'listingId' = $1
                AND payload::jsonb ->> 'reason' = 'moderation_rejection'""", listing.toString())).isEqualTo(3);
        assertThat(count("""
                SELECT coalesce(sum((payload::jsonb ->> 'amount')::bigint), 0) FROM outbox_message
                WHERE destination = 'refund' AND payload::jsonb ->> 'listingId' = $1""", listing.toString())).isEqualTo(1200);
        assertThat(count(
                        "SELECT count(*) FROM payment WHERE listing_id = $1 AND refund_reason = 'moderation_rejection'",
                        listing))
                .isEqualTo(3);
    }

    /** A payment that succeeded through its Stripe event, as in production. */
    private void paid(UUID listing, String purpose, long amount) {
        String intent = newIntentId();
        UUID payment = insertPayment(listing, purpose, amount, intent);
        deliver(event(
                        "evt_" + UUID.randomUUID(),
                        "payment_intent.succeeded",
                        intent,
                        amount,
                        "usd",
                        metadataOf(payment)))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("succeeded"));
    }

    private static JsonNode stripeGet(String path) throws Exception {
        return JSON.readTree(given().header("Authorization", "Bearer " + StripeEmulatorResource.SECRET_KEY)
                .get(StripeEmulatorResource.emulator().apiBase() + path)
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    private static void stripePost(String path) {
        given().header("Authorization", "Bearer " + StripeEmulatorResource.SECRET_KEY)
                .contentType("application/x-www-form-urlencoded")
                .post(StripeEmulatorResource.emulator().apiBase() + path)
                .then()
                .statusCode(200);
    }

    private static String stripeEvent(String type, String intentId) throws Exception {
        for (JsonNode event : stripeGet("/v1/events?limit=100&type=" + type).path("data")) {
            if (intentId.equals(event.path("data").path("object").path("id").asText())) {
                return event.toString();
            }
        }
        throw new AssertionError("no " + type + " event for " + intentId);
    }
}
