package org.villagehomepage.payments.refund;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.PreparedPlans;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.refund.review.RefundReview;
import org.villagehomepage.payments.refund.review.StuckRefundRecovery;

/**
 * Issue 14: refund-service caches generic plans of its keyed statements (plan_cache_mode=auto), but
 * the stuck refunds' claim and the review list's pages are planned with their parameters at every
 * run. Counted by Postgres on the one connection.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
@TestProfile(PreparedPlans.SingleConnection.class)
class ScanPlansTest {

    @Inject
    StuckRefundRecovery recovery;

    @Inject
    RefundReview review;

    @Inject
    Pool pool;

    @Test
    void theStuckClaimAndTheReviewListArePlannedAtEveryRun() {
        for (int i = 0; i < PreparedPlans.EXECUTIONS; i++) {
            recovery.recover().await().indefinitely();
            review.list(null, i, 10).await().indefinitely();
            review.list("pending", i, 10).await().indefinitely();
        }

        PreparedPlans.assertPlannedEveryTime(
                pool,
                "UPDATE refund_request r SET recovery_checks%",
                "SELECT % FROM refund_request ORDER BY created_at DESC%",
                "SELECT % FROM refund_request WHERE status = $1 ORDER BY created_at%");
    }
}
