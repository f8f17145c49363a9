package org.villagehomepage.payments.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
import org.villagehomepage.payments.common.testing.Tokens;
import org.villagehomepage.payments.webhook.support.Db;
import org.villagehomepage.payments.webhook.support.FakeServices;

/** The event list pages at any depth: offset pages are disjoint, ordered and cover every row. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
@QuarkusTestResource(FakeServices.class)
class EventListPagingTest {

    @Inject
    Pool pool;

    @BeforeEach
    void clean() {
        Db.clean(pool);
    }

    @Test
    void pagesOf1000CoverAll2500EventsOnceNewestFirst() {
        // Three events share each received_at, so only the event id tie-break keeps the pages apart.
        Db.run(pool, """
                INSERT INTO webhook_event (event_id, type, object_id, created, livemode, payload, source, destination,
                    message_id, received_at, processed_at)
                SELECT 'evt_paging_' || lpad(g::text, 5, '0'), 'charge.refunded', 'ch_1', now(), false, '{}',
                       'delivery', 'refund', gen_random_uuid(),
                       timestamptz '2026-01-01 00:00:00+00' + (g / 3) * interval '1 second', now()
                FROM generate_series(1, 2500) g""");

        List<Map<String, Object>> all = new ArrayList<>();
        for (int offset = 0; offset <= 5000; offset += 1000) { // bounded: an ignored offset fails, not hangs
            List<Map<String, Object>> page = given().header("Authorization", Tokens.admin())
                    .queryParam("offset", offset)
                    .queryParam("limit", 1000)
                    .queryParam("type", "charge.refunded")
                    .get("/admin/api/webhooks/events")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("$");
            all.addAll(page);
            if (page.size() < 1000) {
                break;
            }
        }

        assertThat(all).hasSize(2500);
        assertThat(new HashSet<>(all.stream().map(e -> e.get("id")).toList())).hasSize(2500);
        for (int i = 1; i < all.size(); i++) {
            OffsetDateTime before = OffsetDateTime.parse((String) all.get(i - 1).get("receivedAt"));
            OffsetDateTime after = OffsetDateTime.parse((String) all.get(i).get("receivedAt"));
            assertThat(before).isAfterOrEqualTo(after);
            if (before.isEqual(after)) {
                assertThat((String) all.get(i - 1).get("id"))
                        .isLessThan((String) all.get(i).get("id"));
            }
        }
        // Without offset: the first rows, as before.
        List<Object> first = given().header("Authorization", Tokens.admin())
                .get("/admin/api/webhooks/events")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id");
        assertThat(first)
                .isEqualTo(all.subList(0, 100).stream().map(e -> e.get("id")).toList());
        given().header("Authorization", Tokens.admin())
                .queryParam("offset", -1)
                .get("/admin/api/webhooks/events")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
