package org.villagehomepage.payments.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

/** Stripe events as webhook-service relays them: once, in any order, checked against the stored payment. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class PaymentEventsTest extends CheckoutTestBase {

    private static final String SUCCEEDED = "payment_intent.succeeded";
    private static final String FAILED = "payment_intent.payment_failed";
    private static final String CANCELED = "payment_intent.canceled";

    record Paid(UUID user, UUID listing, UUID payment, String intent) {}

    private Paid pendingPostingFee() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, HOUSING);
        String intent = newIntentId();
        return new Paid(user, listing, insertPayment(listing, "posting_fee", 500, intent), intent);
    }

    private String succeeded(Paid p, String eventId) {
        return event(eventId, SUCCEEDED, p.intent(), 500, "usd", metadataOf(p.payment()));
    }

    @Test
    void succeededDeliveredTwiceActivatesOnce() {
        Paid p = pendingPostingFee();
        double before = metric("homepage_payments_succeeded_total", "type=\"posting_fee\"");
        double revenueBefore =
                metric("homepage_payments_revenue_cents_total", "type=\"posting_fee\"", "currency=\"usd\"");
        String evt = "evt_" + UUID.randomUUID();

        deliver(succeeded(p, evt)).then().statusCode(200).body("outcome", equalTo("succeeded"));
        deliver(succeeded(p, evt)).then().statusCode(200).body("outcome", equalTo("duplicate"));
        // The same fact under another event id (e.g. found again by reconciliation) changes nothing either.
        deliver(succeeded(p, "evt_" + UUID.randomUUID())).then().statusCode(200).body("outcome", equalTo("unchanged"));

        assertThat(listingStatus(p.listing())).isEqualTo("active");
        Row listing = one(
                "SELECT expires_at - activated_at AS lifetime, activated_by_payment_id FROM listing WHERE id = $1",
                p.listing());
        assertThat(listing.getUUID("activated_by_payment_id")).isEqualTo(p.payment());
        assertThat(one("SELECT status FROM payment WHERE id = $1", p.payment()).getString(0))
                .isEqualTo("succeeded");
        assertThat(audits(p.listing(), "listing.activated")).isEqualTo(1);
        assertThat(audits(p.listing(), "payment.succeeded")).isEqualTo(1);
        // both entries of the event in one outbox message, so one relay delivery to audit-service
        assertThat(count(
                        "SELECT count(*) FROM outbox_message WHERE destination = 'audit' AND payload::jsonb -> 'events' @> "
                                + "jsonb_build_array(jsonb_build_object('action', 'payment.succeeded', 'listingId', $1::text),"
                                + " jsonb_build_object('action', 'listing.activated', 'listingId', $1::text))",
                        p.listing().toString()))
                .isEqualTo(1);
        assertThat(metric("homepage_payments_succeeded_total", "type=\"posting_fee\""))
                .isEqualTo(before + 1);
        assertThat(metric("homepage_payments_revenue_cents_total", "type=\"posting_fee\"", "currency=\"usd\""))
                .isEqualTo(revenueBefore + 500);
        asUser(p.user())
                .get("/api/marketplace/listings/" + p.listing())
                .then()
                .statusCode(200)
                .body("status", equalTo("active"))
                .body("payments[0].status", equalTo("succeeded"));
    }

    @Test
    void twentyConcurrentCopiesOfOneEventApplyOnce() throws Exception {
        Paid p = pendingPostingFee();
        String body = succeeded(p, "evt_" + UUID.randomUUID());
        ExecutorService pool20 = Executors.newFixedThreadPool(20);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                answers.add(pool20.submit(() -> deliver(body)));
            }
            int applied = 0;
            for (Future<Response> answer : answers) {
                Response response = answer.get();
                assertThat(response.statusCode()).isEqualTo(200);
                applied += "succeeded".equals(response.path("outcome")) ? 1 : 0;
            }
            assertThat(applied).isEqualTo(1);
        } finally {
            pool20.shutdown();
        }
        assertThat(audits(p.listing(), "listing.activated")).isEqualTo(1);
        assertThat(listingStatus(p.listing())).isEqualTo("active");
    }

    /**
     * A batch as the relay merges it: each event applied once by its own id, a copy inside the batch
     * and the whole batch sent again change nothing more; the answer lists each event's outcome.
     */
    @Test
    void aMergedBatchAppliesEachEventOnce() {
        List<Paid> paid = List.of(pendingPostingFee(), pendingPostingFee(), pendingPostingFee());
        double before = metric("homepage_payments_succeeded_total", "type=\"posting_fee\"");
        List<String> events = new ArrayList<>();
        for (Paid p : paid) {
            events.add(succeeded(p, "evt_" + UUID.randomUUID()));
        }
        events.add(events.get(0)); // the relay never merges one message twice, but a copy must not count
        String batch = "{\"events\":[" + String.join(",", events) + "]}";

        Response first = deliver(batch);
        first.then().statusCode(200);
        List<String> outcomes = first.path("events.outcome");
        assertThat(outcomes).hasSize(4);
        assertThat(outcomes).containsExactly("succeeded", "succeeded", "succeeded", "duplicate");
        List<String> again = deliver(batch).then().statusCode(200).extract().path("events.outcome");
        assertThat(again).containsOnly("duplicate");

        for (Paid p : paid) {
            assertThat(listingStatus(p.listing())).isEqualTo("active");
            assertThat(audits(p.listing(), "listing.activated")).isEqualTo(1);
            assertThat(audits(p.listing(), "payment.succeeded")).isEqualTo(1);
        }
        assertThat(metric("homepage_payments_succeeded_total", "type=\"posting_fee\""))
                .isEqualTo(before + 3);
        deliver("{\"events\":[]}").then().statusCode(200).body("events.size()", equalTo(0));
    }

    /** One event that is not a Stripe event refuses the whole batch, before anything is applied. */
    @Test
    void aBatchWithABadEventIsRefusedWhole() {
        Paid p = pendingPostingFee();
        String batch = "{\"events\":[" + succeeded(p, "evt_" + UUID.randomUUID()) + ",{\"object\":\"event\"}]}";

        deliver(batch).then().statusCode(400).body("type", org.hamcrest.Matchers.endsWith("invalid-event"));

        assertThat(listingStatus(p.listing())).isEqualTo("pending_payment");
        assertThat(audits(p.listing(), "payment.succeeded")).isZero();
    }

    /**
     * One batch, one transaction: a payment's failure then its success, and the same listing's posting
     * fee then a featured promotion, decided in the batch's order as they would be one transaction each.
     */
    @Test
    void aBatchDecidesEachEventInOrderOnTheRowsTheEarlierOnesChanged() {
        Paid retried = pendingPostingFee();
        Paid posting = pendingPostingFee();
        String featuredIntent = newIntentId();
        UUID featured = insertPayment(posting.listing(), "promotion_featured", 700, featuredIntent);
        double failedBefore = metric("homepage_payments_failed_total", "type=\"posting_fee\"");
        double featuredBefore = metric("homepage_payments_succeeded_total", "type=\"promotion_featured\"");
        List<String> events = List.of(
                event("evt_" + UUID.randomUUID(), FAILED, retried.intent(), 500, "usd", metadataOf(retried.payment())),
                succeeded(retried, "evt_" + UUID.randomUUID()),
                succeeded(posting, "evt_" + UUID.randomUUID()),
                event("evt_" + UUID.randomUUID(), SUCCEEDED, featuredIntent, 700, "usd", metadataOf(featured)),
                event("evt_" + UUID.randomUUID(), "customer.created", "cus_1", 0, "usd", Map.of()),
                event("evt_" + UUID.randomUUID(), SUCCEEDED, newIntentId(), 500, "usd", Map.of()));

        List<String> outcomes = deliver("{\"events\":[" + String.join(",", events) + "]}")
                .then()
                .statusCode(200)
                .extract()
                .path("events.outcome");

        assertThat(outcomes).containsExactly("failed", "succeeded", "succeeded", "succeeded", "ignored", "ignored");
        Row retriedRow = one("SELECT status, failure_code FROM payment WHERE id = $1", retried.payment());
        assertThat(retriedRow.getString("status")).isEqualTo("succeeded");
        assertThat(retriedRow.getString("failure_code")).isEqualTo("card_declined");
        assertThat(listingStatus(retried.listing())).isEqualTo("active");
        assertThat(listingStatus(posting.listing())).isEqualTo("active");
        Row promotion = one(
                "SELECT type, amount, currency, status, payment_id FROM promotion WHERE listing_id = $1",
                posting.listing());
        assertThat(promotion.getString("type")).isEqualTo("featured");
        assertThat(promotion.getLong("amount")).isEqualTo(700L);
        assertThat(promotion.getString("status")).isEqualTo("active");
        assertThat(promotion.getUUID("payment_id")).isEqualTo(featured);
        assertThat(one("SELECT featured_until IS NOT NULL FROM listing WHERE id = $1", posting.listing())
                        .getBoolean(0))
                .isTrue();
        assertThat(audits(retried.listing(), "payment.failed")).isEqualTo(1);
        assertThat(audits(retried.listing(), "listing.activated")).isEqualTo(1);
        assertThat(audits(posting.listing(), "listing.activated")).isEqualTo(1);
        assertThat(audits(posting.listing(), "promotion.activated")).isEqualTo(1);
        assertThat(metric("homepage_payments_failed_total", "type=\"posting_fee\""))
                .isEqualTo(failedBefore + 1);
        assertThat(metric("homepage_payments_succeeded_total", "type=\"promotion_featured\""))
                .isEqualTo(featuredBefore + 1);
    }

    /**
     * A payment belongs to the first intent recorded on it: once one event of a batch has recorded
     * its intent, an event of another intent that names the same payment in its metadata (an intent
     * made again after Stripe forgot the idempotency key) is not ours, as it is when the events come
     * one by one, and never marks the payment paid.
     */
    @Test
    void anotherIntentForAPaymentWhoseIntentABatchJustRecordedIsNotOurs() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, JOBS);
        UUID payment = insertPayment(listing, "posting_fee", 1000, null);
        String first = newIntentId();
        String second = newIntentId();
        String batch = "{\"events\":["
                + event("evt_" + UUID.randomUUID(), FAILED, first, 1000, "usd", metadataOf(payment)) + ","
                + event("evt_" + UUID.randomUUID(), SUCCEEDED, second, 1000, "usd", metadataOf(payment)) + "]}";

        List<String> outcomes = deliver(batch).then().statusCode(200).extract().path("events.outcome");

        assertThat(outcomes).containsExactly("failed", "ignored");
        Row row = one("SELECT status, payment_intent_id FROM payment WHERE id = $1", payment);
        assertThat(row.getString("status")).isEqualTo("failed");
        assertThat(row.getString("payment_intent_id")).isEqualTo(first);
        assertThat(listingStatus(listing)).isEqualTo("pending_payment");
        assertThat(audits(listing, "payment.succeeded")).isZero();
    }

    /**
     * An event that cannot be applied now (here a promotion row Postgres refuses) does not hold back
     * the rest of its batch: those are applied one by one, the batch is answered 5xx so the relay sends
     * it again, and the retry applies only what is left.
     */
    @Test
    void aBatchThatCannotBeAppliedTogetherAppliesEachEventAlone() {
        Paid good = pendingPostingFee();
        Paid active = pendingPostingFee();
        deliver(succeeded(active, "evt_" + UUID.randomUUID())).then().statusCode(200);
        String bumpIntent = newIntentId();
        UUID bump = insertPayment(active.listing(), "promotion_bump", 200, bumpIntent);
        String batch = "{\"events\":[" + succeeded(good, "evt_" + UUID.randomUUID()) + ","
                + event("evt_" + UUID.randomUUID(), SUCCEEDED, bumpIntent, 200, "usd", metadataOf(bump)) + "]}";
        sql("CREATE FUNCTION refuse_test_promotion() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF NEW.listing_id = '" + active.listing() + "' THEN RAISE EXCEPTION 'refused by the test';"
                + " END IF; RETURN NEW; END $$");
        sql("CREATE TRIGGER refuse_test_promotion BEFORE INSERT ON promotion"
                + " FOR EACH ROW EXECUTE FUNCTION refuse_test_promotion()");
        try {
            assertThat(deliver(batch).statusCode()).isGreaterThanOrEqualTo(500);
            assertThat(listingStatus(good.listing())).isEqualTo("active");
            assertThat(one("SELECT status FROM payment WHERE id = $1", bump).getString(0))
                    .isEqualTo("requires_payment");
        } finally {
            sql("DROP TRIGGER refuse_test_promotion ON promotion");
            sql("DROP FUNCTION refuse_test_promotion()");
        }

        List<String> outcomes = deliver(batch).then().statusCode(200).extract().path("events.outcome");

        assertThat(outcomes).containsExactly("duplicate", "succeeded");
        assertThat(count("SELECT count(*) FROM promotion WHERE listing_id = $1 AND type = 'bump'", active.listing()))
                .isEqualTo(1);
        assertThat(audits(good.listing(), "listing.activated")).isEqualTo(1);
        assertThat(audits(active.listing(), "promotion.activated")).isEqualTo(1);
    }

    @Test
    void succeededBeforeTheIntentWasRecordedIsMatchedByPaymentId() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, JOBS);
        UUID payment = insertPayment(listing, "posting_fee", 1000, null);
        String intent = newIntentId();

        deliver(event("evt_" + UUID.randomUUID(), SUCCEEDED, intent, 1000, "usd", metadataOf(payment)))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("succeeded"));

        assertThat(listingStatus(listing)).isEqualTo("active");
        assertThat(one("SELECT payment_intent_id FROM payment WHERE id = $1", payment)
                        .getString(0))
                .isEqualTo(intent);
    }

    @Test
    void lateFailureOrCancelDoesNotUndoSuccess() {
        Paid p = pendingPostingFee();
        deliver(succeeded(p, "evt_" + UUID.randomUUID())).then().statusCode(200);
        deliver(event("evt_" + UUID.randomUUID(), FAILED, p.intent(), 500, "usd", metadataOf(p.payment())))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("unchanged"));
        deliver(event("evt_" + UUID.randomUUID(), CANCELED, p.intent(), 500, "usd", metadataOf(p.payment())))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("unchanged"));
        assertThat(one("SELECT status FROM payment WHERE id = $1", p.payment()).getString(0))
                .isEqualTo("succeeded");
        assertThat(listingStatus(p.listing())).isEqualTo("active");
    }

    @Test
    void failureThenSuccessEndsActiveAsInOrder() {
        Paid p = pendingPostingFee();
        double failedBefore = metric("homepage_payments_failed_total", "type=\"posting_fee\"");
        deliver(event("evt_" + UUID.randomUUID(), FAILED, p.intent(), 500, "usd", metadataOf(p.payment())))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("failed"));
        assertThat(listingStatus(p.listing())).isEqualTo("pending_payment");
        assertThat(one("SELECT status, failure_code FROM payment WHERE id = $1", p.payment())
                        .getString("failure_code"))
                .isEqualTo("card_declined");
        assertThat(metric("homepage_payments_failed_total", "type=\"posting_fee\""))
                .isEqualTo(failedBefore + 1);
        assertThat(audits(p.listing(), "payment.failed")).isEqualTo(1);

        // The failed intent stays the open payment: the owner retries on it with another card.
        deliver(succeeded(p, "evt_" + UUID.randomUUID())).then().statusCode(200).body("outcome", equalTo("succeeded"));
        assertThat(listingStatus(p.listing())).isEqualTo("active");
    }

    @Test
    void canceledPaymentIsClosedAndTheListingStaysPending() {
        Paid p = pendingPostingFee();
        deliver(event("evt_" + UUID.randomUUID(), CANCELED, p.intent(), 500, "usd", metadataOf(p.payment())))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("canceled"));
        assertThat(one("SELECT status FROM payment WHERE id = $1", p.payment()).getString(0))
                .isEqualTo("canceled");
        assertThat(listingStatus(p.listing())).isEqualTo("pending_payment");
        assertThat(count(
                        "SELECT count(*) FROM payment WHERE listing_id = $1 AND status IN ('creating','requires_payment','failed')",
                        p.listing()))
                .isZero();
    }

    @Test
    void amountMismatchActivatesNothing() {
        Paid p = pendingPostingFee();
        double before = metric("homepage_payments_amount_mismatch_total", "type=\"posting_fee\"");
        double succeededBefore = metric("homepage_payments_succeeded_total", "type=\"posting_fee\"");

        deliver(event("evt_" + UUID.randomUUID(), SUCCEEDED, p.intent(), 1, "usd", metadataOf(p.payment())))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("amount_mismatch"));

        assertThat(listingStatus(p.listing())).isEqualTo("pending_payment");
        assertThat(one("SELECT status FROM payment WHERE id = $1", p.payment()).getString(0))
                .isEqualTo("mismatch");
        assertThat(audits(p.listing(), "payment.amount_mismatch")).isEqualTo(1);
        assertThat(audits(p.listing(), "listing.activated")).isZero();
        assertThat(metric("homepage_payments_amount_mismatch_total", "type=\"posting_fee\""))
                .isEqualTo(before + 1);
        assertThat(metric("homepage_payments_succeeded_total", "type=\"posting_fee\""))
                .isEqualTo(succeededBefore);
    }

    @Test
    void currencyOrMetadataMismatchActivatesNothing() {
        Paid euros = pendingPostingFee();
        deliver(event("evt_" + UUID.randomUUID(), SUCCEEDED, euros.intent(), 500, "eur", metadataOf(euros.payment())))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("amount_mismatch"));
        assertThat(listingStatus(euros.listing())).isEqualTo("pending_payment");

        Paid other = pendingPostingFee();
        Map<String, String> tampered = new HashMap<>(metadataOf(other.payment()));
        tampered.put("listing_id", UUID.randomUUID().toString());
        deliver(event("evt_" + UUID.randomUUID(), SUCCEEDED, other.intent(), 500, "usd", tampered))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("amount_mismatch"));
        assertThat(listingStatus(other.listing())).isEqualTo("pending_payment");
    }

    @Test
    void eventForAnIntentCheckoutDidNotCreateIsAcknowledgedAndIgnored() {
        // Made in the Stripe Dashboard or by another product on the same account: 2xx, so the relay
        // neither retries it nor dead-letters it, and nothing is created.
        String intent = newIntentId();
        String eventId = "evt_" + UUID.randomUUID();
        deliver(event(eventId, SUCCEEDED, intent, 500, "usd", Map.of()))
                .then()
                .statusCode(200)
                .body("eventId", equalTo(eventId))
                .body("outcome", equalTo("ignored"));
        Map<String, String> foreign = Map.of("payment_id", UUID.randomUUID().toString(), "payment_type", "posting_fee");
        deliver(event("evt_" + UUID.randomUUID(), FAILED, intent, 500, "usd", foreign))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("ignored"));
        assertThat(count("SELECT count(*) FROM payment WHERE payment_intent_id = $1", intent))
                .isZero();
        deliver(event(eventId, SUCCEEDED, intent, 500, "usd", Map.of()))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("duplicate"));

        deliver("{not json").then().statusCode(400).contentType("application/problem+json");
        deliver("{\"object\":\"event\"}").then().statusCode(400).contentType("application/problem+json");
        // Event types checkout does not act on are acknowledged and ignored.
        deliver("{\"id\":\"evt_1\",\"type\":\"charge.refunded\",\"data\":{\"object\":{}}}")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("ignored"));
    }

    @Test
    void paidFeeForARejectedListingIsRefundedAutomatically() {
        Paid p = pendingPostingFee();
        asModerator()
                .body("{\"reason\":\"spam\"}")
                .post("/admin/api/marketplace/listings/" + p.listing() + "/reject")
                .then()
                .statusCode(200)
                .body("applied", equalTo(true));
        assertThat(count(
                        "SELECT count(*) FROM outbox_message WHERE destination = 'refund' AND payload::jsonb ->> 'listingId' = $1",
                        p.listing().toString()))
                .isZero();

        deliver(succeeded(p, "evt_" + UUID.randomUUID())).then().statusCode(200).body("outcome", equalTo("succeeded"));

        assertThat(listingStatus(p.listing())).isEqualTo("rejected");
        Row refund = one(
                "SELECT payload::jsonb AS body FROM outbox_message WHERE destination = 'refund' AND path = '/internal/refunds'"
                        + " AND payload::jsonb ->> 'listingId' = $1",
                p.listing().toString());
        assertThat(refund).isNotNull();
        io.vertx.core.json.JsonObject body = (io.vertx.core.json.JsonObject) refund.getValue("body");
        assertThat(body.getString("reason")).isEqualTo("technical_failure");
        assertThat(body.getLong("amount")).isEqualTo(500);
        assertThat(body.getString("currency")).isEqualTo("usd");
        assertThat(body.getString("paymentIntentId")).isEqualTo(p.intent());
        assertThat(body.getString("userId")).isEqualTo(p.user().toString());
        assertThat(body.getString("paidAt")).isNotBlank();
        assertThat(body.getString("id")).isNotBlank();
    }

    @Test
    void featuredRunsSevenDaysAndBuyingAgainExtendsIt() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, FOR_SALE);
        String first = newIntentId();
        UUID firstPayment = insertPayment(listing, "promotion_featured", 500, first);
        deliver(event("evt_" + UUID.randomUUID(), SUCCEEDED, first, 500, "usd", metadataOf(firstPayment)))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("succeeded"));
        String second = newIntentId();
        UUID secondPayment = insertPayment(listing, "promotion_featured", 500, second);
        deliver(event("evt_" + UUID.randomUUID(), SUCCEEDED, second, 500, "usd", metadataOf(secondPayment)))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("succeeded"));

        assertThat(count("SELECT count(*) FROM promotion WHERE listing_id = $1 AND type = 'featured'", listing))
                .isEqualTo(2);
        assertThat(count(
                        "SELECT extract(epoch FROM max(expires_at) - min(starts_at))::bigint / 86400 FROM promotion WHERE listing_id = $1",
                        listing))
                .isEqualTo(14);
        assertThat(count(
                        "SELECT count(*) FROM listing l JOIN promotion p ON p.listing_id = l.id"
                                + " WHERE l.id = $1 AND l.featured_until = (SELECT max(expires_at) FROM promotion WHERE listing_id = $1)",
                        listing))
                .isEqualTo(2);
        assertThat(audits(listing, "promotion.activated")).isEqualTo(2);
    }

    @Test
    void paidBumpMovesTheListingUp() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, FOR_SALE);
        String intent = newIntentId();
        UUID payment = insertPayment(listing, "promotion_bump", 200, intent);
        deliver(event("evt_" + UUID.randomUUID(), SUCCEEDED, intent, 200, "usd", metadataOf(payment)))
                .then()
                .statusCode(200);
        deliver(event("evt_" + UUID.randomUUID(), SUCCEEDED, intent, 200, "usd", metadataOf(payment)))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("unchanged"));

        assertThat(count("SELECT count(*) FROM promotion WHERE listing_id = $1 AND type = 'bump'", listing))
                .isEqualTo(1);
        assertThat(one("SELECT last_bumped_at FROM listing WHERE id = $1", listing)
                        .getValue(0))
                .isNotNull();
        // A second bump within 24 hours of the paid one is refused before any payment is opened.
        promote(user, listing, "bump")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem:payments:bump-too-soon"))
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
        assertThat(count("SELECT count(*) FROM payment WHERE listing_id = $1", listing))
                .isEqualTo(1);
    }

    @Test
    void byIntentLookupForRecovery() {
        Paid p = pendingPostingFee();
        asWebhookService()
                .get("/internal/payments/by-intent/" + p.intent())
                .then()
                .statusCode(200)
                .body("paymentId", equalTo(p.payment().toString()))
                .body("purpose", equalTo("posting_fee"))
                .body("status", equalTo("requires_payment"))
                .body("listingStatus", equalTo("pending_payment"))
                .body("userId", equalTo(p.user().toString()))
                .body("amount", equalTo(500))
                .body("currency", equalTo("usd"));
        asWebhookService()
                .get("/internal/payments/by-intent/" + newIntentId())
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    private static io.restassured.response.Response restore(String eventJson) {
        return asWebhookService().body(eventJson).post("/internal/payments/restore");
    }

    /** Disaster recovery: a paid listing and its promotion that a restored database lacks come back from the intents. */
    @Test
    void restoreRecreatesLostPaymentsListingAndPromotionOnce() {
        UUID user = UUID.randomUUID();
        UUID listing = UUID.randomUUID();
        UUID fee = UUID.randomUUID();
        UUID featured = UUID.randomUUID();
        String feeIntent = newIntentId();
        String featuredIntent = newIntentId();
        Map<String, String> feeMeta = Map.of(
                "listing_id",
                listing.toString(),
                "user_id",
                user.toString(),
                "category_id",
                HOUSING.toString(),
                "payment_type",
                "posting_fee",
                "payment_id",
                fee.toString());
        Map<String, String> featuredMeta = new HashMap<>(feeMeta);
        featuredMeta.put("payment_type", "promotion_featured");
        featuredMeta.put("payment_id", featured.toString());
        String feeEvent = event("evt_recovered_" + feeIntent, SUCCEEDED, feeIntent, 500, "usd", feeMeta);
        String featuredEvent =
                event("evt_recovered_" + featuredIntent, SUCCEEDED, featuredIntent, 500, "usd", featuredMeta);

        // A promotion whose listing is lost too is not guessed at: nothing is written.
        restore(featuredEvent).then().statusCode(200).body("outcome", equalTo("listing-missing"));
        assertThat(count("SELECT count(*) FROM payment WHERE id = $1", featured))
                .isZero();

        restore(feeEvent)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("succeeded"))
                .body("listingRestored", equalTo(true))
                .body("paymentRestored", equalTo(true));
        restore(featuredEvent)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("succeeded"))
                .body("listingRestored", equalTo(false))
                .body("paymentRestored", equalTo(true));

        assertThat(listingStatus(listing)).isEqualTo("active");
        Row restored = one("SELECT owner_id, category_id, activated_by_payment_id FROM listing WHERE id = $1", listing);
        assertThat(restored.getUUID("owner_id")).isEqualTo(user);
        assertThat(restored.getUUID("activated_by_payment_id")).isEqualTo(fee);
        assertThat(one("SELECT status, payment_intent_id FROM payment WHERE id = $1", fee)
                        .getString(0))
                .isEqualTo("succeeded");
        assertThat(one("SELECT type, status FROM promotion WHERE payment_id = $1", featured)
                        .getString(1))
                .isEqualTo("active");
        assertThat(audits(listing, "payment.restored")).isEqualTo(2);

        // Again: nothing is created twice and nothing changes.
        restore(feeEvent)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("duplicate"))
                .body("paymentRestored", equalTo(false));
        restore(featuredEvent)
                .then()
                .statusCode(200)
                .body("outcome", equalTo("duplicate"))
                .body("paymentRestored", equalTo(false));
        assertThat(count("SELECT count(*) FROM payment WHERE listing_id = $1", listing))
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM promotion WHERE listing_id = $1", listing))
                .isEqualTo(1);
        assertThat(audits(listing, "payment.restored")).isEqualTo(2);
        asWebhookService()
                .get("/internal/payments/by-intent/" + featuredIntent)
                .then()
                .statusCode(200)
                .body("status", equalTo("succeeded"))
                .body("promotionStatus", equalTo("active"));
    }

    @Test
    void restoreRefusesWhatIsNotASucceededCheckoutIntent() {
        String intent = newIntentId();
        restore(event("evt_" + UUID.randomUUID(), FAILED, intent, 500, "usd", Map.of()))
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        restore(event("evt_" + UUID.randomUUID(), SUCCEEDED, intent, 500, "usd", Map.of("payment_type", "posting_fee")))
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        assertThat(count("SELECT count(*) FROM payment WHERE payment_intent_id = $1", intent))
                .isZero();
    }
}
