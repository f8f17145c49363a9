package org.villagehomepage.payments.audit.chain;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Appends entries to the trail and seals them into the hash chain in one transaction.
 *
 * <p>Sealing is serialized across replicas by a transaction-scoped advisory lock: under it the
 * new event ids are claimed (duplicates drop out), the chain head is read, each entry gets the
 * next sequence number (gapless) and its hash over content + previous hash, the rows are inserted
 * and the head advanced. The lock is released by commit or rollback, so a crash leaves no gap and
 * no half-sealed entry, and no entry is ever updated after insert.
 */
@ApplicationScoped
public class TrailWriter {

    /** Advisory lock key of the chain (any constant shared by all replicas). */
    static final long CHAIN_LOCK = 0x4155_4449_5443_4831L;

    private final Pool pool;

    public TrailWriter(Pool pool) {
        this.pool = pool;
    }

    /** Stores the entries whose event ids are new, in the given order; returns what was stored. */
    public Uni<List<SealedEntry>> append(List<EntryContent> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_advisory_xact_lock($1)")
                .execute(Tuple.of(CHAIN_LOCK))
                .flatMap(locked -> claimIds(conn, entries))
                .flatMap(fresh -> fresh.isEmpty() ? Uni.createFrom().item(List.<SealedEntry>of()) : seal(conn, fresh)));
    }

    private Uni<List<EntryContent>> claimIds(SqlConnection conn, List<EntryContent> entries) {
        UUID[] ids = entries.stream().map(EntryContent::id).toArray(UUID[]::new);
        return conn.preparedQuery("""
                INSERT INTO audit_event_key (event_id) SELECT unnest($1::uuid[])
                ON CONFLICT DO NOTHING RETURNING event_id""").execute(Tuple.of(ids)).map(rows -> {
            Set<UUID> claimed = new HashSet<>();
            for (Row row : rows) {
                claimed.add(row.getUUID("event_id"));
            }
            return entries.stream().filter(e -> claimed.remove(e.id())).toList();
        });
    }

    private Uni<List<SealedEntry>> seal(SqlConnection conn, List<EntryContent> fresh) {
        return conn.query("SELECT last_seq, last_hash, clock_timestamp() AS now FROM chain_head WHERE id = 1")
                .execute()
                .flatMap(rows -> {
                    Row head = rows.iterator().next();
                    Instant recordedAt = EntryRows.instant(head.getOffsetDateTime("now"));
                    long seq = head.getLong("last_seq");
                    byte[] prev = head.getBuffer("last_hash").getBytes();
                    List<SealedEntry> sealed = new ArrayList<>(fresh.size());
                    for (EntryContent content : fresh) {
                        seq++;
                        byte[] hash = ChainHasher.hash(seq, recordedAt, content, prev);
                        sealed.add(new SealedEntry(seq, recordedAt, content, prev, hash));
                        prev = hash;
                    }
                    SealedEntry last = sealed.get(sealed.size() - 1);
                    return conn.preparedQuery(EntryRows.INSERT)
                            .execute(EntryRows.tuple(sealed))
                            .flatMap(inserted -> conn.preparedQuery(
                                            "UPDATE chain_head SET last_seq = $1, last_hash = $2 WHERE id = 1")
                                    .execute(Tuple.of(last.seq(), Buffer.buffer(last.hash()))))
                            .replaceWith(sealed);
                });
    }
}
