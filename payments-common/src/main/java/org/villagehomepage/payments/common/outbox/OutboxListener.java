package org.villagehomepage.payments.common.outbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.time.Duration;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.problem.FailureKind;

/**
 * The relay's wake-up on insert: LISTENs on this service's channel ({@code outbox_<schema>}, the
 * schema the pool's search_path resolves {@code outbox_message} to, as the trigger names it) over
 * one pooled connection kept for it, and calls {@code wake} on every notification. A lost
 * connection is replaced (backing off up to 30 s); each new one wakes the relay once, for what was
 * written while nobody listened. Meanwhile the relay's poll relays everything, only later.
 */
final class OutboxListener {

    static final String CHANNEL_PREFIX = "outbox_";
    private static final Logger LOG = Logger.getLogger(OutboxListener.class);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final Pool pool;
    private final Vertx vertx;
    private final Runnable wake;
    private final Duration firstRetry;
    private volatile Duration retry;
    private volatile boolean closed;
    private volatile SqlConnection connection;

    OutboxListener(Pool pool, Vertx vertx, Duration firstRetry, Runnable wake) {
        this.pool = pool;
        this.vertx = vertx;
        this.wake = wake;
        this.firstRetry = firstRetry;
        this.retry = firstRetry;
    }

    void start() {
        connect();
    }

    private void connect() {
        if (closed) {
            return;
        }
        pool.getConnection()
                .flatMap(c -> listen(c).onFailure().call(c::close))
                .subscribe()
                .with(
                        c -> {
                            if (closed) {
                                c.closeAndForget();
                                return;
                            }
                            connection = c;
                            retry = firstRetry;
                            // a notification that came before the handler is covered by the wake below
                            PgConnection.cast(c).notificationHandler(n -> wake.run());
                            c.closeHandler(this::lost);
                            wake.run();
                        },
                        e -> {
                            LOG.warnf(
                                    "Outbox listener not connected (the poll relays meanwhile): %s", FailureKind.of(e));
                            retryLater();
                        });
    }

    private Uni<SqlConnection> listen(SqlConnection c) {
        return c.query("SELECT current_schema()").execute().flatMap(rows -> {
            String schema = rows.iterator().next().getString(0);
            return c.query("LISTEN \"" + (CHANNEL_PREFIX + schema).replace("\"", "\"\"") + "\"")
                    .execute()
                    .replaceWith(c);
        });
    }

    private void lost() {
        connection = null;
        if (!closed) {
            LOG.warn("Outbox listener lost its connection; reconnecting (the poll relays meanwhile)");
            retryLater();
        }
    }

    private void retryLater() {
        if (closed) {
            return;
        }
        long delay = retry.toMillis();
        retry = retry.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retry.multipliedBy(2);
        vertx.setTimer(Math.max(1, delay), id -> connect());
    }

    /** Stops listening and gives the connection back to the pool as it was lent (no channel left on it). */
    Uni<Void> close() {
        closed = true;
        SqlConnection c = connection;
        connection = null;
        if (c == null) {
            return Uni.createFrom().voidItem();
        }
        return c.query("UNLISTEN *").execute().onItemOrFailure().transformToUni((rows, failure) -> c.close());
    }
}
