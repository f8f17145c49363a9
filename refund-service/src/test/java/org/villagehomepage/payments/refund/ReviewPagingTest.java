package org.villagehomepage.payments.refund;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;

/** The review list pages at any depth: offset pages are disjoint, ordered and cover every row. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class ReviewPagingTest {

    private static final int PAGE = 500;

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

        List<Map<String, Object>> rejected = everyPage("&status=rejected");
        assertThat(rejected)
                .hasSize((int) TestData.count(pool, "SELECT count(*) FROM refund_request WHERE status = 'rejected'"));
        assertOrdered(rejected, 1);
        assertThat(rejected.stream().filter(r -> pi.equals(r.get("paymentIntentId"))))
                .hasSize(2500);

        List<Map<String, Object>> all = everyPage("");
        assertThat(all).hasSize((int) TestData.count(pool, "SELECT count(*) FROM refund_request"));
        assertOrdered(all, -1);

        // Without offset: the first rows, as before.
        List<Object> first = given().header("Authorization", Tokens.admin())
                .get("/admin/api/marketplace/refunds?status=rejected")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id");
        assertThat(first)
                .isEqualTo(
                        rejected.subList(0, 100).stream().map(r -> r.get("id")).toList());
        given().header("Authorization", Tokens.admin())
                .get("/admin/api/marketplace/refunds?offset=-1")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    /** Pages of refunds.max-page (500) rows. */
    private static List<Map<String, Object>> everyPage(String filter) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int offset = 0; offset <= 20_000; offset += PAGE) { // bounded: an ignored offset fails, not hangs
            List<Map<String, Object>> page = given().header("Authorization", Tokens.admin())
                    .get("/admin/api/marketplace/refunds?limit=" + PAGE + "&offset=" + offset + filter)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("$");
            assertThat(page.size()).isLessThanOrEqualTo(PAGE);
            rows.addAll(page);
            if (page.size() < PAGE) {
                return rows;
            }
        }
        return rows;
    }

    /** direction 1: oldest first; -1: newest first; ids ascending among equal times either way. */
    private static void assertOrdered(List<Map<String, Object>> rows, int direction) {
        assertThat(new HashSet<>(rows.stream().map(r -> r.get("id")).toList())).hasSize(rows.size());
        for (int i = 1; i < rows.size(); i++) {
            Instant before = Instant.parse((String) rows.get(i - 1).get("createdAt"));
            Instant after = Instant.parse((String) rows.get(i).get("createdAt"));
            assertThat(Integer.signum(after.compareTo(before)) * direction).isGreaterThanOrEqualTo(0);
            if (before.equals(after)) {
                assertThat((String) rows.get(i - 1).get("id"))
                        .isLessThan((String) rows.get(i).get("id"));
            }
        }
    }
}
