package org.villagehomepage.payments.checkout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.checkout.listing.ListingExpiryJob;
import org.villagehomepage.payments.checkout.promotion.PromotionExpiryJob;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;

@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class ExpiryJobsTest extends CheckoutTestBase {

    @Inject
    ListingExpiryJob listingExpiry;

    @Inject
    PromotionExpiryJob promotionExpiry;

    /** Jobs run on a Vert.x context, as the scheduler runs them. */
    private static Integer onVertx(java.util.function.Supplier<io.smallrye.mutiny.Uni<Integer>> job) {
        try {
            return io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(job);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void twoReplicasRunningTheListingJobExpireEachListingOnce() {
        UUID user = UUID.randomUUID();
        List<UUID> due = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            due.add(createListing(user, FOR_SALE));
        }
        UUID current = createListing(user, FOR_SALE);
        sql(
                "UPDATE listing SET expires_at = now() - interval '1 minute' WHERE owner_id = $1 AND id <> $2",
                user,
                current);

        // Two runs at once, as two replicas would: SKIP LOCKED splits the rows between them.
        for (int round = 0;
                round < 10
                        && count(
                                        "SELECT count(*) FROM listing WHERE owner_id = $1 AND status = 'active' AND id <> $2",
                                        user,
                                        current)
                                > 0;
                round++) {
            CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> onVertx(listingExpiry::runOnce));
            CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> onVertx(listingExpiry::runOnce));
            a.join();
            b.join();
        }

        for (UUID listing : due) {
            assertThat(listingStatus(listing)).isEqualTo("expired");
            assertThat(audits(listing, "listing.expired")).isEqualTo(1);
        }
        assertThat(listingStatus(current)).isEqualTo("active");
    }

    @Test
    void featuredPromotionsStopAtTheirEnd() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, FOR_SALE);
        String ended = newIntentId();
        UUID endedPayment = insertPayment(listing, "promotion_featured", 500, ended);
        deliver(event(
                        "evt_" + UUID.randomUUID(),
                        "payment_intent.succeeded",
                        ended,
                        500,
                        "usd",
                        metadataOf(endedPayment)))
                .then()
                .statusCode(200);
        sql(
                "UPDATE promotion SET starts_at = now() - interval '8 days', expires_at = now() - interval '1 day' WHERE payment_id = $1",
                endedPayment);
        sql("UPDATE listing SET featured_until = now() - interval '1 day' WHERE id = $1", listing);
        String running = newIntentId();
        UUID runningPayment = insertPayment(listing, "promotion_featured", 500, running);
        deliver(event(
                        "evt_" + UUID.randomUUID(),
                        "payment_intent.succeeded",
                        running,
                        500,
                        "usd",
                        metadataOf(runningPayment)))
                .then()
                .statusCode(200);

        while (onVertx(promotionExpiry::runOnce) > 0) {
            // until nothing is due
        }

        assertThat(one("SELECT status FROM promotion WHERE payment_id = $1", endedPayment)
                        .getString(0))
                .isEqualTo("expired");
        assertThat(one("SELECT status FROM promotion WHERE payment_id = $1", runningPayment)
                        .getString(0))
                .isEqualTo("active");
        assertThat(audits(listing, "promotion.expired")).isEqualTo(1);
        assertThat(listingStatus(listing)).isEqualTo("active");
    }

    @Test
    void forceExpiryEndsWhatIsDueNowAndReportsIt() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, FOR_SALE);
        UUID stale = createListing(user, FOR_SALE);
        String intent = newIntentId();
        UUID payment = insertPayment(listing, "promotion_featured", 500, intent);
        deliver(event("evt_" + UUID.randomUUID(), "payment_intent.succeeded", intent, 500, "usd", metadataOf(payment)))
                .then()
                .statusCode(200);
        // "Featured promotion not expiring": its end has passed but the job has not run.
        sql(
                "UPDATE promotion SET starts_at = now() - interval '8 days', expires_at = now() - interval '1 hour' WHERE payment_id = $1",
                payment);
        sql("UPDATE listing SET expires_at = now() - interval '1 minute' WHERE id = $1", stale);
        UUID promotion =
                one("SELECT id FROM promotion WHERE payment_id = $1", payment).getUUID(0);

        given().header("Authorization", Tokens.user(user))
                .post("/admin/api/marketplace/expiry/run")
                .then()
                .statusCode(403);
        io.restassured.response.Response report =
                given().header("Authorization", Tokens.admin()).post("/admin/api/marketplace/expiry/run");
        report.then().statusCode(200);
        assertThat(report.jsonPath().getList("promotions.id", String.class)).contains(promotion.toString());
        assertThat(report.jsonPath().getList("listings", String.class)).contains(stale.toString());
        assertThat(report.jsonPath().getInt("promotionsExpired")).isGreaterThanOrEqualTo(1);

        assertThat(one("SELECT status FROM promotion WHERE id = $1", promotion).getString(0))
                .isEqualTo("expired");
        assertThat(listingStatus(stale)).isEqualTo("expired");
        assertThat(listingStatus(listing)).isEqualTo("active");
        assertThat(audits(listing, "promotion.expired")).isEqualTo(1);
        assertThat(audits(stale, "listing.expired")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM outbox_message WHERE destination = 'audit' "
                        + "AND payload::jsonb -> 'events' -> 0 ->> 'action' = 'expiry.forced'"))
                .isGreaterThanOrEqualTo(1);

        // Nothing due any more: a second run changes nothing of ours.
        io.restassured.response.Response again =
                given().header("Authorization", Tokens.admin()).post("/admin/api/marketplace/expiry/run");
        assertThat(again.jsonPath().getList("listings", String.class)).doesNotContain(stale.toString());
        assertThat(audits(stale, "listing.expired")).isEqualTo(1);
    }
}
