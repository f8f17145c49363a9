package org.villagehomepage.payments.checkout.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.villagehomepage.payments.common.testing.JwtKeysResource;
import org.villagehomepage.payments.common.testing.StripeEmulatorResource;

/**
 * Every checkout looks up the open payment of its listing. The only index on payment.listing_id is
 * the partial unique index payment_one_open, so the lookup must read it also when Postgres runs the
 * prepared statement with a cached generic plan (parameters unknown), never the whole table.
 */
@QuarkusTest
@QuarkusTestResource(JwtKeysResource.class)
@QuarkusTestResource(StripeEmulatorResource.class)
class OpenPaymentLookupTest {

    @Inject
    Pool pool;

    @Test
    void theOpenPaymentIsReadThroughItsPartialIndexAlsoWithAGenericPlan() {
        // a prepared statement outlives the transaction: a name of its own per run, never a clash
        String name = "open_payment_plan_" + UUID.randomUUID().toString().replace("-", "");
        String plan = pool.withTransaction(connection -> connection
                        .query("SET LOCAL plan_cache_mode = force_generic_plan")
                        .execute()
                        // without it a tiny test table could be scanned by choice; with it only an unusable index
                        // forces a scan
                        .chain(() -> connection
                                .query("SET LOCAL enable_seqscan = off")
                                .execute())
                        .chain(() -> connection
                                .query("PREPARE " + name + "(uuid, text) AS " + PaymentRows.FIND_OPEN)
                                .execute())
                        .chain(() -> connection
                                .query("EXPLAIN EXECUTE " + name + "("
                                        + "'00000000-0000-4000-8000-000000000000', 'posting_fee')")
                                .execute())
                        .call(() -> connection.query("DEALLOCATE " + name).execute())
                        .map(rows -> StreamSupport.stream(rows.spliterator(), false)
                                .map((Row row) -> row.getString(0))
                                .collect(Collectors.joining("\n"))))
                .await()
                .indefinitely();

        assertThat(plan).contains("payment_one_open").doesNotContain("Seq Scan");
    }
}
