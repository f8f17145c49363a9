package org.villagehomepage.payments.common.testing;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The plan Postgres makes for a statement when sequential scans are priced out (enable_seqscan=off
 * for one transaction). A test table is small, so Postgres would scan it whatever the indexes; with
 * scans priced out, "Seq Scan on t" in the plan means no index can serve the statement.
 */
public final class IndexPlans {

    private IndexPlans() {}

    /** EXPLAIN's text of the statement with these parameters, one plan line per line. */
    public static String withoutSeqScans(Pool pool, String sql, Tuple parameters) {
        return pool.withTransaction(tx -> tx.query("SET LOCAL enable_seqscan = off")
                        .execute()
                        .chain(() -> tx.preparedQuery("EXPLAIN " + sql).execute(parameters)))
                .map(rows -> {
                    StringBuilder plan = new StringBuilder();
                    for (Row row : rows) {
                        plan.append(row.getString(0)).append('\n');
                    }
                    return plan.toString();
                })
                .await()
                .indefinitely();
    }
}
