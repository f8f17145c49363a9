package org.villagehomepage.payments.checkout;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.checkout.idempotency.ClientIdempotency;
import org.villagehomepage.payments.checkout.listing.ListingExpiryJob;
import org.villagehomepage.payments.checkout.promotion.PromotionService;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.PreparedPlans;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

/**
 * Issue 14: checkout-service caches generic plans of its keyed statements (plan_cache_mode=auto),
 * but its jobs' scans (listings and promotions due to expire, Idempotency-Keys past retention) are
 * planned with their parameters at every run: a generic plan made while the table was small would
 * outlive its growth where no ANALYZE invalidates it. Counted by Postgres on the one connection.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
@TestProfile(PreparedPlans.SingleConnection.class)
class ScanPlansTest {

    @Inject
    ListingExpiryJob listings;

    @Inject
    PromotionService promotions;

    @Inject
    ClientIdempotency keys;

    @Inject
    Pool pool;

    @Test
    void theJobsScansArePlannedAtEveryRun() {
        for (int i = 0; i < PreparedPlans.EXECUTIONS; i++) {
            listings.expireBatch().await().indefinitely();
            promotions.expireDue(10).await().indefinitely();
            keys.forgetOldKeys().await().indefinitely();
        }

        PreparedPlans.assertPlannedEveryTime(
                pool,
                "SELECT % FROM listing WHERE status = 'active' AND expires_at < $1%",
                "SELECT % FROM promotion WHERE status = 'active' AND type = 'featured' AND expires_at < $1%",
                "DELETE FROM client_idempotency WHERE created_at < %");
    }
}
