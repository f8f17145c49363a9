package org.villagehomepage.payments.webhook;

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
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;
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

        Map<String, String> refunded = Map.of("type", "charge.refunded");
        List<Map<String, Object>> all = Paging.everyPage("/admin/api/webhooks/events", refunded, 1000, 5000);

        assertThat(all).hasSize(2500);
        Paging.assertOrdered(all, "receivedAt", Paging.DESCENDING);
        Paging.assertFirstPageAndNegativeOffset("/admin/api/webhooks/events", refunded, all);
    }
}
