package org.villagehomepage.payments.checkout;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

/** What webhook-service's amount reconciliation reads: the captured payments of a period. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class CapturedAmountsTest extends CheckoutTestBase {

    @Test
    void succeededPaymentsOfThePeriodWithTheirAmounts() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, HOUSING);
        String paid = newIntentId();
        UUID payment = insertPayment(listing, "posting_fee", 500, paid);
        deliver(event("evt_" + UUID.randomUUID(), "payment_intent.succeeded", paid, 500, "usd", metadataOf(payment)))
                .then()
                .statusCode(200);
        UUID other = createListing(user, JOBS);
        String open = newIntentId();
        insertPayment(other, "posting_fee", 1000, open); // never paid: not captured
        String from = OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).toString();
        String to = OffsetDateTime.now(ZoneOffset.UTC).plusHours(1).toString();

        Response answer =
                asWebhookService().queryParam("from", from).queryParam("to", to).get("/internal/payments/captured");
        answer.then().statusCode(200);
        List<Map<String, Object>> rows = answer.jsonPath().getList("$");
        assertThat(rows).anySatisfy(row -> {
            assertThat(row.get("paymentIntentId")).isEqualTo(paid);
            assertThat(((Number) row.get("amount")).longValue()).isEqualTo(500);
            assertThat(row.get("status")).isEqualTo("succeeded");
        });
        assertThat(rows)
                .noneSatisfy(row -> assertThat(row.get("paymentIntentId")).isEqualTo(open));

        asUser(user)
                .queryParam("from", from)
                .queryParam("to", to)
                .get("/internal/payments/captured")
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(401, 403));
        asWebhookService()
                .queryParam("from", "yesterday")
                .queryParam("to", to)
                .get("/internal/payments/captured")
                .then()
                .statusCode(400);
    }

    @Test
    void paymentsOfAListingOrAUserForThePaymentDoctor() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, HOUSING);
        String intent = newIntentId();
        insertPayment(listing, "posting_fee", 500, intent);

        asWebhookService()
                .get("/internal/payments/by-subject/" + listing)
                .then()
                .statusCode(200)
                .body("paymentIntentId", org.hamcrest.Matchers.hasItem(intent))
                .body("listingStatus", org.hamcrest.Matchers.hasItem("pending_payment"));
        asWebhookService()
                .get("/internal/payments/by-subject/" + user)
                .then()
                .statusCode(200)
                .body("paymentIntentId", org.hamcrest.Matchers.hasItem(intent));
        asWebhookService()
                .get("/internal/payments/by-subject/" + UUID.randomUUID())
                .then()
                .statusCode(200)
                .body("size()", org.hamcrest.Matchers.equalTo(0));
        asUser(user)
                .get("/internal/payments/by-subject/" + user)
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(401, 403));
    }
}
