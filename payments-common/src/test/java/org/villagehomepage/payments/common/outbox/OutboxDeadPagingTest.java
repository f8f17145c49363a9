package org.villagehomepage.payments.common.outbox;

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
import org.villagehomepage.payments.common.testing.Tokens;

/** The dead-message list pages at any depth: offset pages are disjoint, ordered and cover every row. */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@io.quarkus.test.junit.TestProfile(OutboxTestProfiles.FastRetries.class)
class OutboxDeadPagingTest {

    @Inject
    Pool pool;

    @BeforeEach
    void clean() {
        pool.query("TRUNCATE outbox_message, processed_message")
                .execute()
                .await()
                .indefinitely();
    }

    @Test
    void pagesOf1000CoverAll2500DeadMessagesOnceInOrder() {
        // Three messages share each created_at, so only the id tie-break keeps the pages apart.
        pool.query("""
                INSERT INTO outbox_message (id, destination, path, payload, status, attempts, created_at)
                SELECT gen_random_uuid(), 'test', '/internal/test-receiver/messages', '{}', 'dead', 3,
                       timestamptz '2026-01-01 00:00:00+00' + (g / 3) * interval '1 second'
                FROM generate_series(1, 2500) g""").execute().await().indefinitely();
        // A delivered message is not listed.
        pool.query("INSERT INTO outbox_message (id, destination, path, payload, status) VALUES "
                        + "(gen_random_uuid(), 'test', '/x', '{}', 'delivered')")
                .execute()
                .await()
                .indefinitely();

        List<Map<String, Object>> all = new ArrayList<>();
        for (int offset = 0; offset <= 5000; offset += 1000) { // bounded: an ignored offset fails, not hangs
            List<Map<String, Object>> page = given().header("Authorization", Tokens.admin())
                    .queryParam("offset", offset)
                    .queryParam("limit", 1000)
                    .get("/admin/api/outbox/dead")
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
        assertThat(new HashSet<>(all.stream().map(m -> m.get("id")).toList())).hasSize(2500);
        for (int i = 1; i < all.size(); i++) {
            OffsetDateTime before = OffsetDateTime.parse((String) all.get(i - 1).get("createdAt"));
            OffsetDateTime after = OffsetDateTime.parse((String) all.get(i).get("createdAt"));
            assertThat(before).isBeforeOrEqualTo(after);
            if (before.isEqual(after)) {
                assertThat((String) all.get(i - 1).get("id"))
                        .isLessThan((String) all.get(i).get("id"));
            }
        }
        // Without offset: the first rows, as before.
        List<Object> first = given().header("Authorization", Tokens.admin())
                .get("/admin/api/outbox/dead")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("id");
        assertThat(first)
                .hasSize(100)
                .isEqualTo(all.subList(0, 100).stream().map(m -> m.get("id")).toList());
        given().header("Authorization", Tokens.admin())
                .queryParam("offset", -1)
                .get("/admin/api/outbox/dead")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }
}
