package org.villagehomepage.payments.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Row;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

/** Issue 13.7: a promotion priced 0 by configuration never takes the free-listing path. */
@QuarkusTest
@TestProfile(FreePromotionTest.FeaturedForFree.class)
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class FreePromotionTest extends CheckoutTestBase {

    public static class FeaturedForFree implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("checkout.promotions.featured-price", "0");
        }
    }

    @Test
    void aPromotionPricedZeroLeavesTheListingAsItWas() {
        UUID user = UUID.randomUUID();
        UUID listing = createListing(user, FOR_SALE);
        Row before = one(
                "SELECT expires_at, activated_at, activated_by_payment_id, featured_until FROM listing WHERE id = $1",
                listing);
        sql("UPDATE listing SET activated_by_payment_id = $1 WHERE id = $2", UUID.randomUUID(), listing);
        UUID activatedBy = one("SELECT activated_by_payment_id FROM listing WHERE id = $1", listing)
                .getUUID(0);
        long activations = audits(listing, "listing.activated");

        promote(user, listing, "featured")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:problem:payments:promotion-unavailable"));

        Row after = one(
                "SELECT expires_at, activated_at, activated_by_payment_id, featured_until FROM listing WHERE id = $1",
                listing);
        assertThat(after.getOffsetDateTime("expires_at")).isEqualTo(before.getOffsetDateTime("expires_at"));
        assertThat(after.getOffsetDateTime("activated_at")).isEqualTo(before.getOffsetDateTime("activated_at"));
        assertThat(after.getUUID("activated_by_payment_id")).isEqualTo(activatedBy);
        assertThat(after.getOffsetDateTime("featured_until")).isNull();
        assertThat(count("SELECT count(*) FROM payment WHERE listing_id = $1", listing))
                .isZero();
        assertThat(audits(listing, "listing.activated")).isEqualTo(activations);
    }
}
