package org.villagehomepage.payments.refund;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.Paging;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

/** The review list pages at any depth: offset pages are disjoint, ordered and cover every row. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class ReviewPagingTest {

    /** refunds.max-page */
    private static final int PAGE = 500;

    private static final String REFUNDS = "/admin/api/marketplace/refunds";

    @Inject
    Pool pool;

    @Test
    void pagesOfTheLargestSizeCoverEveryRequestOnceInOrder() {
        String pi = TestData.newId("pi");
        TestData.knownPayment(pool, pi, TestData.newId("ch"), UUID.randomUUID(), 1_000_000);
        // 2,500 rejected (terminal) requests; three share each created_at, so only the id tie-break
        // keeps the pages apart.
        pool.preparedQuery("""
                INSERT INTO refund_request (id, payment_intent_id, amount, currency, reason, origin, status,
                    requested_by, created_at, updated_at)
                SELECT gen_random_uuid(), $1, 1, 'usd', 'user_request', 'user', 'rejected', 'paging-test',
                       timestamptz '2020-01-01 00:00:00+00' + (g / 3) * interval '1 second', now()
                FROM generate_series(1, 2500) g""").execute(Tuple.of(pi)).await().indefinitely();

        Map<String, String> onlyRejected = Map.of("status", "rejected");
        List<Map<String, Object>> rejected = Paging.everyPage(REFUNDS, onlyRejected, PAGE, 20_000);
        assertThat(rejected)
                .hasSize((int) TestData.count(pool, "SELECT count(*) FROM refund_request WHERE status = 'rejected'"));
        Paging.assertOrdered(rejected, "createdAt", Paging.ASCENDING);
        assertThat(rejected.stream().filter(r -> pi.equals(r.get("paymentIntentId"))))
                .hasSize(2500);

        List<Map<String, Object>> all = Paging.everyPage(REFUNDS, Map.of(), PAGE, 20_000);
        assertThat(all).hasSize((int) TestData.count(pool, "SELECT count(*) FROM refund_request"));
        Paging.assertOrdered(all, "createdAt", Paging.DESCENDING);

        Paging.assertFirstPageAndNegativeOffset(REFUNDS, onlyRejected, rejected);
    }
}
