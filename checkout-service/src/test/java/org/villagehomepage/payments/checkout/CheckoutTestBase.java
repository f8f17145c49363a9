package org.villagehomepage.payments.checkout;

import static io.restassured.RestAssured.given;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.testing.Tokens;

/** Helpers shared by the Quarkus tests: the API as the frontend and services call it, and SQL to check effects. */
public abstract class CheckoutTestBase {

    public static final String ORIGIN = "https://village.test";
    public static final UUID HOUSING = UUID.fromString("6c1d0a6e-0001-4000-8000-000000000001");
    public static final UUID JOBS = UUID.fromString("6c1d0a6e-0002-4000-8000-000000000002");
    public static final UUID FOR_SALE = UUID.fromString("6c1d0a6e-0007-4000-8000-000000000007");

    @Inject
    protected Pool pool;

    protected static RequestSpecification asUser(UUID user) {
        return given().header("Authorization", Tokens.user(user))
                .header("Origin", ORIGIN)
                .contentType("application/json");
    }

    /** As {@code sender} calling checkout-service, signed with that service's own key. */
    protected static RequestSpecification as(String sender) {
        return given().header("Authorization", Tokens.service(sender, ServiceNames.CHECKOUT))
                .contentType("application/json");
    }

    protected static RequestSpecification asWebhookService() {
        return as(ServiceNames.WEBHOOK);
    }

    protected static RequestSpecification asRefundService() {
        return as(ServiceNames.REFUND);
    }

    /** Moderation is a super_admin's decision. */
    protected static RequestSpecification asModerator() {
        return given().header("Authorization", Tokens.admin()).contentType("application/json");
    }

    protected static UUID createListing(UUID user, UUID category) {
        return UUID.fromString(asUser(user)
                .body(Map.of("categoryId", category.toString(), "title", "Bike in good shape"))
                .post("/api/marketplace/listings")
                .then()
                .statusCode(201)
                .extract()
                .path("id"));
    }

    protected static Response checkout(UUID user, UUID listing) {
        return asUser(user).body("{}").post("/api/marketplace/listings/" + listing + "/checkout");
    }

    protected static Response promote(UUID user, UUID listing, String type) {
        return asUser(user).body(Map.of("type", type)).post("/api/marketplace/listings/" + listing + "/promote");
    }

    protected static Response deliver(String eventJson) {
        return asWebhookService()
                .header("X-Message-Id", UUID.randomUUID().toString())
                .body(eventJson)
                .post("/internal/stripe-events");
    }

    /** A Stripe event JSON for a PaymentIntent, shaped as Stripe sends it. */
    protected static String event(
            String eventId, String type, String intentId, long amount, String currency, Map<String, String> metadata) {
        String meta = metadata.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(","));
        String status = switch (type) {
            case "payment_intent.succeeded" -> "succeeded";
            case "payment_intent.canceled" -> "canceled";
            default -> "requires_payment_method";
        };
        String error = type.equals("payment_intent.payment_failed")
                ? ",\"last_payment_error\":{\"code\":\"card_declined\"}"
                : "";
        return """
                {"id":"%s","object":"event","api_version":"2026-07-29.dahlia","created":%d,"type":"%s","livemode":false,
                 "data":{"object":{"id":"%s","object":"payment_intent","amount":%d,"amount_received":%d,"currency":"%s",
                 "status":"%s","metadata":{%s}%s}}}""".formatted(
                        eventId,
                        System.currentTimeMillis() / 1000,
                        type,
                        intentId,
                        amount,
                        type.equals("payment_intent.succeeded") ? amount : 0,
                        currency,
                        status,
                        meta,
                        error);
    }

    /** Metadata as checkout puts it on the intent of a payment row. */
    protected Map<String, String> metadataOf(UUID paymentId) {
        Row p = one("SELECT listing_id, user_id, category_id, purpose FROM payment WHERE id = $1", paymentId);
        return Map.of(
                "listing_id",
                p.getUUID("listing_id").toString(),
                "user_id",
                p.getUUID("user_id").toString(),
                "category_id",
                p.getUUID("category_id").toString(),
                "payment_type",
                p.getString("purpose"),
                "payment_id",
                paymentId.toString());
    }

    /** A payment as a checkout leaves it (intent recorded), written directly, for tests that need no Stripe. */
    protected UUID insertPayment(UUID listing, String purpose, long amount, String intentId) {
        UUID id = UUID.randomUUID();
        sql("""
                INSERT INTO payment (id, listing_id, user_id, category_id, purpose, amount, currency, status, payment_intent_id, intent_created_at)
                SELECT $1, l.id, l.owner_id, l.category_id, $2, $3, 'usd', CASE WHEN $4::text IS NULL THEN 'creating' ELSE 'requires_payment' END, $4, now()
                FROM listing l WHERE l.id = $5""", id, purpose, amount, intentId, listing);
        return id;
    }

    protected static String newIntentId() {
        return "pi_test_" + UUID.randomUUID().toString().replace("-", "");
    }

    protected RowSet<Row> sql(String query, Object... params) {
        return pool.preparedQuery(query).execute(Tuple.wrap(params)).await().indefinitely();
    }

    protected Row one(String query, Object... params) {
        RowSet<Row> rows = sql(query, params);
        return rows.iterator().hasNext() ? rows.iterator().next() : null;
    }

    protected long count(String query, Object... params) {
        return one(query, params).getLong(0);
    }

    protected String listingStatus(UUID listing) {
        return one("SELECT status FROM listing WHERE id = $1", listing).getString(0);
    }

    /** Audit events in the outbox for a listing and action. */
    protected long audits(UUID listing, String action) {
        // every event of every audit message (one Stripe event's entries travel in one message)
        return count("""
                SELECT count(*) FROM outbox_message m, jsonb_array_elements(m.payload::jsonb -> 'events') AS e
                WHERE m.destination = 'audit' AND e ->> 'action' = $1 AND e ->> 'listingId' = $2""", action, listing.toString());
    }

    protected List<String> auditPayloads(UUID listing) {
        List<String> payloads = new ArrayList<>();
        for (Row row : sql(
                "SELECT payload FROM outbox_message WHERE destination = 'audit'"
                        + " AND jsonb_path_exists(payload::jsonb, '$.events[*] ? (@.listingId == $l)', jsonb_build_object('l', $1::text))",
                listing.toString())) {
            payloads.add(row.getString(0));
        }
        return payloads;
    }

    /** Sum of a Prometheus series over the lines that contain every given label text. */
    protected static double metric(String name, String... labels) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            boolean all = true;
            for (String label : labels) {
                all &= line.contains(label);
            }
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
