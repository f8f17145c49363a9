package org.villagehomepage.payments.common.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.Paging;

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

        List<Map<String, Object>> all = Paging.everyPage("/admin/api/outbox/dead", Map.of(), 1000, 5000);

        assertThat(all).hasSize(2500);
        Paging.assertOrdered(all, "createdAt", Paging.ASCENDING);
        Paging.assertFirstPageAndNegativeOffset("/admin/api/outbox/dead", Map.of(), all);
    }
}
