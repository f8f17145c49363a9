package org.villagehomepage.payments.audit.retention;

import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.audit.AuditSettings;
import org.villagehomepage.payments.audit.chain.EntryContent;
import org.villagehomepage.payments.audit.intake.IntakeService;
import org.villagehomepage.payments.common.problem.FailureKind;

/**
 * Drops whole monthly partitions once every entry in them is past the retention horizon; never a
 * single row. Before a partition goes, its newest entry becomes the chain's pruned tail, so the
 * first retained entry still verifies. Each run that drops something is itself recorded as
 * {@code audit.retention_applied}. Created at start, so a horizon under 12 months stops the service.
 */
@ApplicationScoped
@Startup
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);
    static final long RETENTION_LOCK = 0x4155_4449_5452_4554L;
    public static final String ACTION = "audit.retention_applied";

    private final Pool pool;
    private final RetentionPolicy policy;
    private final IntakeService intake;
    private final String service;

    public RetentionJob(
            Pool pool,
            AuditSettings settings,
            IntakeService intake,
            @ConfigProperty(name = "quarkus.application.name") String service) {
        this.pool = pool;
        this.policy = new RetentionPolicy(settings.retention().horizon());
        this.intake = intake;
        this.service = service;
    }

    @Scheduled(cron = "${audit.retention.cron}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return apply(Instant.now()).replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("Audit retention did not run: %s", FailureKind.of(e));
            return null;
        });
    }

    /** Drops the partitions expired at {@code now}; answers their names. */
    public Uni<List<String>> apply(Instant now) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_try_advisory_xact_lock($1) AS locked")
                        .execute(Tuple.of(RETENTION_LOCK))
                        .flatMap(rows -> rows.iterator().next().getBoolean("locked")
                                ? dropExpired(conn, now)
                                : Uni.createFrom().item(List.<String>of())))
                .call(dropped -> dropped.isEmpty() ? Uni.createFrom().voidItem() : record(dropped, now));
    }

    private Uni<List<String>> dropExpired(SqlConnection conn, Instant now) {
        return conn.query("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'audit_entry'::regclass ORDER BY c.relname""").execute().flatMap(rows -> {
            List<String> expired = new ArrayList<>();
            for (Row row : rows) {
                if (policy.expired(row.getString("relname"), now)) {
                    expired.add(row.getString("relname"));
                }
            }
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (String partition : expired) {
                chain = chain.call(() -> drop(conn, partition));
            }
            return chain.call(() -> conn.preparedQuery("DELETE FROM audit_event_key WHERE recorded_at < $1")
                            .execute(Tuple.of(policy.cutoff(now).atOffset(ZoneOffset.UTC))))
                    .replaceWith(expired);
        });
    }

    /** Moves the pruned tail of the chain to the partition's newest entry, then drops the partition. */
    private Uni<Void> drop(SqlConnection conn, String partition) {
        // The partition name comes from pg_class and matched audit_entry_pYYYYMM: safe to quote and splice.
        String table = "\"" + partition + "\"";
        return conn.query("""
                UPDATE chain_head h SET pruned_through_seq = t.seq, pruned_through_hash = t.hash
                FROM (SELECT seq, hash FROM %s ORDER BY seq DESC LIMIT 1) t
                WHERE h.id = 1 AND t.seq > h.pruned_through_seq""".formatted(table))
                .execute()
                .flatMap(updated -> conn.query("DROP TABLE " + table).execute())
                .invoke(() -> LOG.infof(
                        "Audit partition %s dropped (past the retention horizon %s)", partition, policy.horizon()))
                .replaceWithVoid();
    }

    private Uni<Void> record(List<String> dropped, Instant now) {
        Map<String, String> details = new TreeMap<>();
        details.put("partitions", String.join(" ", dropped));
        details.put("horizon", policy.horizon().toString());
        details.put("cutoff", policy.cutoff(now).toString());
        EntryContent entry = new EntryContent(
                UUID.randomUUID(),
                Instant.now(),
                service,
                service,
                ACTION,
                "success",
                "system",
                service,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                new TreeMap<>(details));
        return intake.store(List.of(entry)).replaceWithVoid();
    }
}
