package org.villagehomepage.payments.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class ModerationAndStandingTest extends CheckoutTestBase {

    private UUID paidListing(UUID user) {
        UUID listing = createListing(user, HOUSING);
        String intent = newIntentId();
        UUID payment = insertPayment(listing, "posting_fee", 500, intent);
        deliver(event("evt_" + UUID.randomUUID(), "payment_intent.succeeded", intent, 500, "usd", metadataOf(payment)))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("succeeded"));
        return listing;
    }

    private long refundRequests(UUID listing) {
        return count(
                "SELECT count(*) FROM outbox_message WHERE destination = 'refund' AND payload::jsonb ->> 'listingId' = $1"
                        + " AND payload::jsonb ->> 'reason' = 'moderation_rejection'",
                listing.toString());
    }

    @Test
    void rejectingAPaidListingRequestsOneRefund() {
        UUID listing = paidListing(UUID.randomUUID());
        String messageId = UUID.randomUUID().toString();
        asModerator()
                .header("X-Message-Id", messageId)
                .body("{\"reason\":\"prohibited item\"}")
                .post("/admin/api/marketplace/listings/" + listing + "/reject")
                .then()
                .statusCode(200)
                .body("applied", equalTo(true));
        asModerator()
                .header("X-Message-Id", messageId)
                .body("{\"reason\":\"prohibited item\"}")
                .post("/admin/api/marketplace/listings/" + listing + "/reject")
                .then()
                .statusCode(200)
                .body("applied", equalTo(false));
        asModerator()
                .header("X-Message-Id", UUID.randomUUID().toString())
                .body("{\"reason\":\"again\"}")
                .post("/admin/api/marketplace/listings/" + listing + "/reject")
                .then()
                .statusCode(200)
                .body("applied", equalTo(false));

        assertThat(listingStatus(listing)).isEqualTo("rejected");
        assertThat(refundRequests(listing)).isEqualTo(1);
        assertThat(audits(listing, "listing.rejected")).isEqualTo(1);
        assertThat(one("SELECT refund_reason FROM payment WHERE listing_id = $1", listing)
                        .getString(0))
                .isEqualTo("moderation_rejection");
        asModerator()
                .body("{\"reason\":\"x\"}")
                .post("/admin/api/marketplace/listings/" + UUID.randomUUID() + "/reject")
                .then()
                .statusCode(404);
    }

    /**
     * The change, its audit record and its refund request commit together: when the last write of
     * the transaction fails, none of them is left behind.
     */
    @Test
    void auditAndOutboxAreWrittenInTheSameTransactionAsTheChange() {
        UUID listing = paidListing(UUID.randomUUID());
        sql("""
                CREATE OR REPLACE FUNCTION refuse_refund_messages() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION 'refund outbox unavailable'; END $$ LANGUAGE plpgsql""");
        sql(
                "CREATE TRIGGER refuse_refund BEFORE INSERT ON outbox_message FOR EACH ROW WHEN (NEW.destination = 'refund')"
                        + " EXECUTE FUNCTION refuse_refund_messages()");
        try {
            asModerator()
                    .body("{\"reason\":\"scam\"}")
                    .post("/admin/api/marketplace/listings/" + listing + "/reject")
                    .then()
                    .statusCode(500)
                    .contentType("application/problem+json");
            assertThat(listingStatus(listing)).isEqualTo("active");
            assertThat(audits(listing, "listing.rejected")).isZero();
            assertThat(one("SELECT refund_requested_at FROM payment WHERE listing_id = $1", listing)
                            .getValue(0))
                    .isNull();
        } finally {
            sql("DROP TRIGGER refuse_refund ON outbox_message");
        }
        asModerator()
                .body("{\"reason\":\"scam\"}")
                .post("/admin/api/marketplace/listings/" + listing + "/reject")
                .then()
                .statusCode(200);
        assertThat(listingStatus(listing)).isEqualTo("rejected");
        assertThat(audits(listing, "listing.rejected")).isEqualTo(1);
        assertThat(refundRequests(listing)).isEqualTo(1);
    }

    @Test
    void rejectingAnUnpaidListingRequestsNoRefund() {
        UUID listing = createListing(UUID.randomUUID(), HOUSING);
        asModerator()
                .body("{\"reason\":\"spam\"}")
                .post("/admin/api/marketplace/listings/" + listing + "/reject")
                .then()
                .statusCode(200);
        assertThat(listingStatus(listing)).isEqualTo("rejected");
        assertThat(count(
                        "SELECT count(*) FROM outbox_message WHERE destination = 'refund' AND payload::jsonb ->> 'listingId' = $1",
                        listing.toString()))
                .isZero();
    }

    @Test
    void bannedUserGets403OnCreateCheckoutAndPromoteUntilUnbanned() {
        UUID user = UUID.randomUUID();
        UUID pending = createListing(user, HOUSING);
        UUID active = createListing(user, FOR_SALE);
        double deniedBefore = metric("homepage_checkout_denied_total", "reason=\"banned\"");
        String messageId = UUID.randomUUID().toString();
        asRefundService()
                .header("X-Message-Id", messageId)
                .body("{\"reason\":\"chargebacks\",\"chargebacks\":2}")
                .post("/internal/users/" + user + "/ban")
                .then()
                .statusCode(200)
                .body("applied", equalTo(true));
        asRefundService()
                .header("X-Message-Id", messageId)
                .body("{\"reason\":\"chargebacks\",\"chargebacks\":2}")
                .post("/internal/users/" + user + "/ban")
                .then()
                .statusCode(200)
                .body("applied", equalTo(false));
        assertThat(count(
                        "SELECT count(*) FROM outbox_message WHERE destination = 'audit'"
                                + " AND payload::jsonb -> 'events' -> 0 ->> 'action' = 'user.banned'"
                                + " AND payload::jsonb -> 'events' -> 0 -> 'details' ->> 'userId' = $1",
                        user.toString()))
                .isEqualTo(1);

        asUser(user)
                .body("{\"categoryId\":\"" + FOR_SALE + "\",\"title\":\"x\"}")
                .post("/api/marketplace/listings")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem:payments:user-banned"));
        checkout(user, pending).then().statusCode(403).body("type", equalTo("urn:problem:payments:user-banned"));
        promote(user, active, "featured")
                .then()
                .statusCode(403)
                .body("type", equalTo("urn:problem:payments:user-banned"));
        promote(user, active, "bump").then().statusCode(403);

        assertThat(count("SELECT count(*) FROM payment WHERE user_id = $1", user))
                .isZero();
        assertThat(metric("homepage_checkout_denied_total", "reason=\"banned\""))
                .isEqualTo(deniedBefore + 4);
        assertThat(audits(pending, "checkout.denied")).isEqualTo(1);

        asRefundService()
                .header("X-Message-Id", UUID.randomUUID().toString())
                .body("{\"reason\":\"dispute won\"}")
                .post("/internal/users/" + user + "/unban")
                .then()
                .statusCode(200)
                .body("applied", equalTo(true));
        createListing(user, FOR_SALE);
    }

    private void standing(UUID user, String action, String body, boolean applied) {
        asRefundService()
                .header("X-Message-Id", UUID.randomUUID().toString())
                .body(body)
                .post("/internal/users/" + user + "/" + action)
                .then()
                .statusCode(200)
                .body("applied", equalTo(applied));
    }

    private Row standingRow(UUID user) {
        return one("SELECT banned, version, chargebacks FROM user_standing WHERE user_id = $1", user);
    }

    /** The relay does not keep order: a retried ban (v1) arriving after the unban (v2) changes nothing. */
    @Test
    void lateBanAfterANewerUnbanIsIgnored() {
        UUID user = UUID.randomUUID();
        standing(user, "ban", "{\"reason\":\"chargebacks\",\"chargebacks\":2,\"version\":1}", true);
        standing(user, "unban", "{\"reason\":\"dispute won\",\"version\":2}", true);
        standing(user, "ban", "{\"reason\":\"chargebacks\",\"chargebacks\":2,\"version\":1}", false);

        assertThat(standingRow(user).getBoolean("banned")).isFalse();
        assertThat(standingRow(user).getLong("version")).isEqualTo(2);
        assertThat(count(
                        "SELECT count(*) FROM outbox_message WHERE destination = 'audit'"
                                + " AND payload::jsonb -> 'events' -> 0 ->> 'action' = 'user.banned'"
                                + " AND payload::jsonb -> 'events' -> 0 -> 'details' ->> 'userId' = $1",
                        user.toString()))
                .isEqualTo(1);
        createListing(user, FOR_SALE);
    }

    @Test
    void lateUnbanAfterANewerBanIsIgnoredAndUnnumberedMessagesApplyAsBefore() {
        UUID user = UUID.randomUUID();
        standing(user, "ban", "{\"reason\":\"chargebacks\",\"chargebacks\":3,\"version\":5}", true);
        standing(user, "unban", "{\"reason\":\"dispute won\",\"version\":4}", false);
        standing(user, "unban", "{\"reason\":\"same number\",\"version\":5}", false);
        assertThat(standingRow(user).getBoolean("banned")).isTrue();
        assertThat(standingRow(user).getLong("version")).isEqualTo(5);
        asUser(user)
                .body("{\"categoryId\":\"" + FOR_SALE + "\",\"title\":\"x\"}")
                .post("/api/marketplace/listings")
                .then()
                .statusCode(403)
                .body("type", equalTo("urn:problem:payments:user-banned"));

        // An older sender without versions is applied as it always was, and keeps the stored number.
        standing(user, "unban", "{\"reason\":\"manual\"}", true);
        assertThat(standingRow(user).getBoolean("banned")).isFalse();
        assertThat(standingRow(user).getLong("version")).isEqualTo(5);
        standing(user, "ban", "{\"reason\":\"chargebacks\",\"chargebacks\":4,\"version\":6}", true);
        assertThat(standingRow(user).getBoolean("banned")).isTrue();
        assertThat(standingRow(user).getInteger("chargebacks")).isEqualTo(4);
    }
}
