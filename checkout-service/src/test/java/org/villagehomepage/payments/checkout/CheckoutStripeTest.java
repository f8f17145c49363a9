package org.villagehomepage.payments.checkout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;
import org.villagehomepage.payments.emulator.FaultSettings.EndpointFault;

/** Checkout and promotions against the stripe-emulator: one PaymentIntent per payment, whatever happens. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class CheckoutStripeTest extends CheckoutTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATE = "POST /v1/payment_intents";

    @AfterEach
    void clearFaults() {
        StripeEmulatorResource.emulator().faults().clear();
    }

    // --- the emulator, as Stripe's API and as Stripe.js ---

    private static JsonNode stripeGet(String path) {
        String body = given().header("Authorization", "Bearer " + StripeEmulatorResource.SECRET_KEY)
                .get(StripeEmulatorResource.emulator().apiBase() + path)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** PaymentIntents at Stripe whose metadata names this listing (newest 100 are enough for a test run). */
    private static List<JsonNode> intentsAtStripe(UUID listing) {
        List<JsonNode> found = new ArrayList<>();
        String after = null;
        do {
            JsonNode page =
                    stripeGet("/v1/payment_intents?limit=100" + (after == null ? "" : "&starting_after=" + after));
            for (JsonNode pi : page.path("data")) {
                if (listing.toString()
                        .equals(pi.path("metadata").path("listing_id").asText())) {
                    found.add(pi);
                }
                after = pi.path("id").asText();
            }
            if (!page.path("has_more").asBoolean()) {
                after = null;
            }
        } while (after != null);
        return found;
    }

    private static void pay(String intentId, String card) {
        given().contentType("application/json")
                .body(Map.of("card", card))
                .post(StripeEmulatorResource.emulator().apiBase() + "/_emulator/payment_intents/" + intentId + "/pay")
                .then()
                .statusCode(200);
    }

    /** The event exactly as Stripe publishes it (what webhook-service relays). */
    private static String stripeEvent(String type, String intentId) {
        for (JsonNode event : stripeGet("/v1/events?limit=100&type=" + type).path("data")) {
            if (intentId.equals(event.path("data").path("object").path("id").asText())) {
                return event.toString();
            }
        }
        throw new AssertionError("no " + type + " event for " + intentId);
    }

    private static <T> List<T> concurrently(int n, Callable<T> task) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(threads.submit(task));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            threads.shutdown();
        }
    }

    // --- tests ---

    @Test
    void checkoutChargesTheServerPriceWithFullMetadataAndARetriedClickReusesTheIntent() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, JOBS);
        double created = metric("homepage_payments_intents_created_total", "type=\"posting_fee\"");
        double timed =
                metric("homepage_checkout_duration_seconds_count", "type=\"posting_fee\"", "outcome=\"success\"");

        Response first = asUser(user)
                .body("{\"amount\":1,\"currency\":\"jpy\"}")
                .post("/api/marketplace/listings/" + listing + "/checkout");
        first.then()
                .statusCode(200)
                .body("amount", equalTo(1000))
                .body("currency", equalTo("usd"))
                .body("paymentIntentId", startsWith("pi_"))
                .body("clientSecret", notNullValue())
                // Stripe.js needs the publishable key of the same account and mode
                .body("publishableKey", equalTo("pk_test_local_emulator"));
        String intent = first.path("paymentIntentId");
        checkout(user, listing)
                .then()
                .statusCode(200)
                .body("paymentIntentId", equalTo(intent))
                .body("clientSecret", equalTo(first.path("clientSecret")));
        asUser(user)
                .post("/api/marketplace/listings/" + listing + "/checkout")
                .then()
                .statusCode(200)
                .body("paymentIntentId", equalTo(intent));

        JsonNode atStripe = stripeGet("/v1/payment_intents/" + intent);
        assertThat(atStripe.path("amount").asLong()).isEqualTo(1000);
        assertThat(atStripe.path("currency").asText()).isEqualTo("usd");
        UUID payment =
                UUID.fromString(atStripe.path("metadata").path("payment_id").asText());
        assertThat(JSON.convertValue(atStripe.path("metadata"), Map.class)).isEqualTo(metadataOf(payment));
        assertThat(metadataOf(payment))
                .containsEntry("user_id", user.toString())
                .containsEntry("payment_type", "posting_fee")
                .containsEntry("category_id", JOBS.toString())
                .containsEntry("listing_id", listing.toString());

        assertThat(intentsAtStripe(listing)).hasSize(1);
        assertThat(count("SELECT count(*) FROM payment WHERE listing_id = $1", listing))
                .isEqualTo(1);
        assertThat(metric("homepage_payments_intents_created_total", "type=\"posting_fee\""))
                .isEqualTo(created + 1);
        assertThat(metric("homepage_checkout_duration_seconds_count", "type=\"posting_fee\"", "outcome=\"success\""))
                .isEqualTo(timed + 3);
        assertThat(audits(listing, "checkout.attempted")).isEqualTo(3);
        assertThat(audits(listing, "checkout.succeeded")).isEqualTo(3);

        // The client secret goes to the owner's checkout answer only: never stored, audited or shown elsewhere.
        String secret = first.path("clientSecret");
        assertThat(count("SELECT count(*) FROM outbox_message WHERE payload LIKE '%' || $1 || '%'", secret))
                .isZero();
        assertThat(auditPayloads(listing)).noneMatch(p -> p.contains("secret"));
        assertThat(asUser(user).get("/api/marketplace/listings/" + listing).asString())
                .doesNotContain(secret)
                .contains(intent);
    }

    @Test
    void twentyConcurrentIdenticalCheckoutsMakeExactlyOnePaymentIntent() throws Exception {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, HOUSING);
        double created = metric("homepage_payments_intents_created_total", "type=\"posting_fee\"");

        List<Response> answers = concurrently(20, () -> checkout(user, listing));

        Set<String> intents = new HashSet<>();
        for (Response answer : answers) {
            answer.then().statusCode(200).body("amount", equalTo(500));
            intents.add(answer.path("paymentIntentId"));
        }
        assertThat(intents).hasSize(1);
        assertThat(intentsAtStripe(listing)).hasSize(1);
        assertThat(count("SELECT count(*) FROM payment WHERE listing_id = $1", listing))
                .isEqualTo(1);
        assertThat(metric("homepage_payments_intents_created_total", "type=\"posting_fee\""))
                .isEqualTo(created + 1);
    }

    @Test
    void stripeErrorsAndLostResponsesStillGiveOneIntentPerListing() throws Exception {
        UUID user = UUID.randomUUID();
        List<UUID> listings = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            listings.add(createListing(user, HOUSING));
        }
        // 25 % 500s, 10 % 429s, 25 % intents created whose answer is lost: retried with the same key.
        StripeEmulatorResource.emulator()
                .faults()
                .seed(11)
                .endpoint(CREATE, new EndpointFault(0, 0.25, 0.1, 0, 0, 0.25));

        for (UUID listing : listings) {
            List<Response> answers = concurrently(5, () -> checkout(user, listing));
            for (Response answer : answers) {
                // Retries almost always win; a request that runs out of attempts says so, and changes nothing.
                assertThat(answer.statusCode()).isIn(200, 502);
            }
        }
        StripeEmulatorResource.emulator().faults().clear();
        for (UUID listing : listings) {
            String intent =
                    checkout(user, listing).then().statusCode(200).extract().path("paymentIntentId");
            List<JsonNode> atStripe = intentsAtStripe(listing);
            assertThat(atStripe).hasSize(1);
            assertThat(atStripe.get(0).path("id").asText()).isEqualTo(intent);
            assertThat(count("SELECT count(*) FROM payment WHERE listing_id = $1", listing))
                    .isEqualTo(1);
        }
    }

    @Test
    void whenStripeIsDownTheCheckoutFailsCleanlyAndTheNextClickReusesThePayment() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, HOUSING);
        StripeEmulatorResource.emulator().faults().endpoint(CREATE, new EndpointFault(0, 1.0, 0, 0, 0, 0));

        double creationFailures = metric("homepage_payments_intent_creation_failures_total", "type=\"posting_fee\"");
        checkout(user, listing)
                .then()
                .statusCode(502)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem:payments:payment-provider-unavailable"));
        assertThat(metric("homepage_payments_intent_creation_failures_total", "type=\"posting_fee\""))
                .isEqualTo(creationFailures + 1);
        assertThat(one("SELECT status FROM payment WHERE listing_id = $1", listing)
                        .getString(0))
                .isEqualTo("creating");
        assertThat(audits(listing, "checkout.failed")).isEqualTo(1);

        StripeEmulatorResource.emulator().faults().clear();
        checkout(user, listing).then().statusCode(200);
        assertThat(intentsAtStripe(listing)).hasSize(1);
        assertThat(count("SELECT count(*) FROM payment WHERE listing_id = $1", listing))
                .isEqualTo(1);
    }

    @Test
    void idempotencyKeyReplaysAndRefusesReuseForAnotherRequest() throws Exception {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, HOUSING);
        UUID other = createListing(user, HOUSING);
        String key = "click-" + UUID.randomUUID();

        String intent = asUser(user)
                .header("Idempotency-Key", key)
                .body("{}")
                .post("/api/marketplace/listings/" + listing + "/checkout")
                .then()
                .statusCode(200)
                .extract()
                .path("paymentIntentId");
        asUser(user)
                .header("Idempotency-Key", key)
                .body("{}")
                .post("/api/marketplace/listings/" + listing + "/checkout")
                .then()
                .statusCode(200)
                .body("paymentIntentId", equalTo(intent))
                .body("clientSecret", notNullValue());
        asUser(user)
                .header("Idempotency-Key", key)
                .body("{}")
                .post("/api/marketplace/listings/" + other + "/checkout")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem:payments:idempotency-key-reused"));
        assertThat(count("SELECT count(*) FROM payment WHERE listing_id = $1", other))
                .isZero();
        // Keys are per user: another user's identical key is another key.
        UUID stranger = UUID.randomUUID();
        asUser(stranger)
                .header("Idempotency-Key", key)
                .body("{}")
                .post("/api/marketplace/listings/" + listing + "/checkout")
                .then()
                .statusCode(404);
        // The refused checkout rolled its claim back with it: the key is free for that user's own
        // listing, and is then held once, completed with that payment.
        UUID strangersListing = createListing(stranger, HOUSING);
        asUser(stranger)
                .header("Idempotency-Key", key)
                .body("{}")
                .post("/api/marketplace/listings/" + strangersListing + "/checkout")
                .then()
                .statusCode(200);
        assertThat(count(
                        "SELECT count(*) FROM client_idempotency k JOIN payment p ON p.id = k.payment_id"
                                + " WHERE k.user_id = $1 AND k.idem_key = $2 AND k.state = 'completed'"
                                + " AND p.listing_id = $3",
                        stranger,
                        key,
                        strangersListing))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM client_idempotency WHERE user_id = $1", stranger))
                .isEqualTo(1);

        // The same key while the first request is still waiting for Stripe: 409.
        UUID slow = createListing(user, HOUSING);
        String slowKey = "slow-" + UUID.randomUUID();
        StripeEmulatorResource.emulator()
                .faults()
                .endpoint(CREATE, EndpointFault.none().withLatencyMs(1500));
        List<Integer> statuses = concurrently(
                2,
                () -> asUser(user)
                        .header("Idempotency-Key", slowKey)
                        .body("{}")
                        .post("/api/marketplace/listings/" + slow + "/checkout")
                        .statusCode());
        assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        assertThat(intentsAtStripe(slow)).hasSize(1);

        asUser(user)
                .header("Idempotency-Key", "a key with spaces")
                .body("{}")
                .post("/api/marketplace/listings/" + slow + "/checkout")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void paidPostingFeeActivatesTheListingOnceEvenWhenTheEventComesTwice() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, HOUSING);
        String intent = checkout(user, listing).then().statusCode(200).extract().path("paymentIntentId");

        // Declined first: the listing waits, and the owner retries on the same intent.
        pay(intent, "card_declined");
        deliver(stripeEvent("payment_intent.payment_failed", intent))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("failed"));
        assertThat(listingStatus(listing)).isEqualTo("pending_payment");
        checkout(user, listing).then().statusCode(200).body("paymentIntentId", equalTo(intent));

        pay(intent, "success");
        String succeeded = stripeEvent("payment_intent.succeeded", intent);
        deliver(succeeded).then().statusCode(200).body("outcome", equalTo("succeeded"));
        deliver(succeeded).then().statusCode(200).body("outcome", equalTo("duplicate"));

        assertThat(listingStatus(listing)).isEqualTo("active");
        assertThat(audits(listing, "listing.activated")).isEqualTo(1);
        checkout(user, listing)
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:problem:payments:listing-not-payable"));
        asWebhookService()
                .get("/internal/payments/by-intent/" + intent)
                .then()
                .statusCode(200)
                .body("status", equalTo("succeeded"))
                .body("listingStatus", equalTo("active"));
    }

    @Test
    void promotionsChargeTheirPriceAndBumpWaitsTwentyFourHours() {
        UUID user = UUID.randomUUID();
        UUID pending = createListing(user, HOUSING);
        promote(user, pending, "featured")
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:problem:payments:listing-not-active"));

        UUID listing = createListing(user, FOR_SALE);
        double bumps = metric("homepage_payments_intents_created_total", "type=\"promotion_bump\"");
        Response featured = promote(user, listing, "featured");
        featured.then().statusCode(200).body("amount", equalTo(500)).body("currency", equalTo("usd"));
        String featuredIntent = featured.path("paymentIntentId");
        assertThat(stripeGet("/v1/payment_intents/" + featuredIntent)
                        .path("metadata")
                        .path("payment_type")
                        .asText())
                .isEqualTo("promotion_featured");
        pay(featuredIntent, "success");
        deliver(stripeEvent("payment_intent.succeeded", featuredIntent))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("succeeded"));
        asUser(user)
                .get("/api/marketplace/listings/" + listing)
                .then()
                .statusCode(200)
                .body("featuredUntil", notNullValue())
                .body("promotions[0].type", equalTo("featured"));

        Response bump = promote(user, listing, "bump");
        bump.then().statusCode(200).body("amount", equalTo(200));
        String bumpIntent = bump.path("paymentIntentId");
        promote(user, listing, "bump").then().statusCode(200).body("paymentIntentId", equalTo(bumpIntent));
        pay(bumpIntent, "success");
        deliver(stripeEvent("payment_intent.succeeded", bumpIntent)).then().statusCode(200);

        promote(user, listing, "bump")
                .then()
                .statusCode(409)
                .body("type", equalTo("urn:problem:payments:bump-too-soon"));
        assertThat(metric("homepage_payments_intents_created_total", "type=\"promotion_bump\""))
                .isEqualTo(bumps + 1);
        assertThat(audits(listing, "promotion.attempted")).isEqualTo(3);
        assertThat(intentsAtStripe(listing)).hasSize(2);
    }

    @Test
    void aCategoryMadeFreeLetsAPendingListingGoLiveWithoutPayment() {
        UUID motorcycles = UUID.fromString("6c1d0a6e-0004-4000-8000-000000000004");
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, motorcycles);
        try {
            given().header("Authorization", Tokens.admin())
                    .contentType("application/json")
                    .body("{\"postingFee\":0}")
                    .put("/admin/api/marketplace/categories/" + motorcycles + "/fee")
                    .then()
                    .statusCode(200);
            checkout(user, listing)
                    .then()
                    .statusCode(200)
                    .body("amount", equalTo(0))
                    .body("paymentIntentId", org.hamcrest.Matchers.nullValue());
            assertThat(listingStatus(listing)).isEqualTo("active");
            assertThat(intentsAtStripe(listing)).isEmpty();
        } finally {
            given().header("Authorization", Tokens.admin())
                    .contentType("application/json")
                    .body("{\"postingFee\":300}")
                    .put("/admin/api/marketplace/categories/" + motorcycles + "/fee")
                    .then()
                    .statusCode(200);
        }
    }
}
