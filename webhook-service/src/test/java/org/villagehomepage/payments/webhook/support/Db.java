package org.villagehomepage.payments.webhook.support;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Direct reads and writes of the test database, to assert effects where they land. */
public final class Db {

    private Db() {}

    public static void clean(Pool pool) {
        pool.query("TRUNCATE webhook_event, outbox_message, processed_message")
                .execute()
                .await()
                .indefinitely();
        pool.query("UPDATE webhook_event_tally SET processed = 0")
                .execute()
                .await()
                .indefinitely();
        pool.query("UPDATE reconciliation_checkpoint SET checkpoint = NULL, lease_token = NULL, lease_until = NULL")
                .execute()
                .await()
                .indefinitely();
    }

    public static long count(Pool pool, String sql, Object... args) {
        return pool.preparedQuery(sql)
                .execute(Tuple.from(args))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    public static List<Row> rows(Pool pool, String sql, Object... args) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(args)).await().indefinitely().forEach(rows::add);
        return rows;
    }

    public static void run(Pool pool, String sql, Object... args) {
        pool.preparedQuery(sql).execute(Tuple.from(args)).await().indefinitely();
    }
}
