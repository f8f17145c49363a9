package org.villagehomepage.payments.audit.chain;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Arrays;
import org.villagehomepage.payments.audit.AuditMetrics;
import org.villagehomepage.payments.audit.chain.VerificationReport.BrokenLink;

/**
 * Recomputes the hash chain from the stored rows, chunk by chunk in sequence order, and reports
 * the first broken link: a missing or duplicate sequence number, an entry whose stored previous
 * hash is not its predecessor's hash, or an entry whose content no longer matches its own hash.
 * Without an upper bound it also checks that the newest entry is the chain head.
 */
@ApplicationScoped
public class ChainVerifier {

    private static final int CHUNK = 1000;

    private final Pool pool;
    private final AuditMetrics metrics;

    public ChainVerifier(Pool pool, AuditMetrics metrics) {
        this.pool = pool;
        this.metrics = metrics;
    }

    /** Verifies the entries recorded in [from, to); either bound may be null (open). */
    public Uni<VerificationReport> verify(Instant from, Instant to) {
        return pool.preparedQuery("""
                SELECT (SELECT min(seq) FROM audit_entry WHERE ($1::timestamptz IS NULL OR recorded_at >= $1)
                                                          AND ($2::timestamptz IS NULL OR recorded_at < $2)) AS from_seq,
                       (SELECT max(seq) FROM audit_entry WHERE ($1::timestamptz IS NULL OR recorded_at >= $1)
                                                          AND ($2::timestamptz IS NULL OR recorded_at < $2)) AS to_seq,
                       last_seq, last_hash, pruned_through_seq, pruned_through_hash
                FROM chain_head WHERE id = 1""")
                .execute(Tuple.of(EntryRows.offset(from), EntryRows.offset(to)))
                .flatMap(rows -> {
                    Row row = rows.iterator().next();
                    Range range = new Range(
                            row.getLong("from_seq"),
                            row.getLong("to_seq"),
                            row.getLong("last_seq"),
                            row.getBuffer("last_hash").getBytes(),
                            row.getLong("pruned_through_seq"),
                            row.getBuffer("pruned_through_hash").getBytes(),
                            from == null,
                            to == null);
                    return run(range);
                })
                .invoke(report -> {
                    if (!report.intact()) {
                        metrics.verificationFailed();
                    }
                });
    }

    private Uni<VerificationReport> run(Range range) {
        if (range.fromSeq == null) {
            // Nothing in the range; open-ended on both sides means the trail must be empty too.
            boolean empty = range.headSeq == range.prunedSeq;
            return Uni.createFrom()
                    .item(
                            range.openStart && range.openEnd && !empty
                                    ? broken(range, 0, new BrokenLink(range.prunedSeq + 1, null, "missing-entry"))
                                    : new VerificationReport(true, 0, null, null, range.headSeq, null));
        }
        long firstExpected = range.openStart ? range.prunedSeq + 1 : range.fromSeq;
        return previousHash(range, firstExpected)
                .flatMap(prev -> prev == null
                        ? Uni.createFrom()
                                .item(broken(range, 0, new BrokenLink(firstExpected - 1, null, "missing-entry")))
                        : chunk(range, new Cursor(firstExpected, prev, 0)));
    }

    /** The hash the entry at {@code seq} must link to: genesis, the pruned tail, or the stored predecessor. */
    private Uni<byte[]> previousHash(Range range, long seq) {
        if (seq == range.prunedSeq + 1) {
            return Uni.createFrom().item(range.prunedHash);
        }
        return pool.preparedQuery("SELECT hash FROM audit_entry WHERE seq = $1")
                .execute(Tuple.of(seq - 1))
                .map(rows -> rows.size() == 0
                        ? null
                        : rows.iterator().next().getBuffer("hash").getBytes());
    }

    private Uni<VerificationReport> chunk(Range range, Cursor cursor) {
        // Starts one below the expected number so a duplicate of the last checked entry is seen.
        return pool.preparedQuery("SELECT " + EntryRows.COLUMNS + " FROM audit_entry WHERE seq >= $1 AND seq <= $2 "
                        + "ORDER BY seq, recorded_at LIMIT $3")
                .execute(Tuple.of(cursor.expectedSeq - 1, range.toSeq, CHUNK))
                .flatMap(rows -> {
                    Cursor next = cursor;
                    int count = 0;
                    for (Row row : rows) {
                        count++;
                        SealedEntry entry = EntryRows.from(row);
                        if (count == 1
                                && entry.seq() == cursor.expectedSeq - 1
                                && Arrays.equals(entry.hash(), cursor.prevHash)) {
                            continue; // the predecessor, already checked
                        }
                        BrokenLink link = check(entry, next);
                        if (link != null) {
                            return Uni.createFrom().item(broken(range, next.checked, link));
                        }
                        next = new Cursor(entry.seq() + 1, entry.hash(), next.checked + 1);
                    }
                    if (count == CHUNK && next.expectedSeq <= range.toSeq) {
                        return chunk(range, next);
                    }
                    return Uni.createFrom().item(finish(range, next));
                });
    }

    private static BrokenLink check(SealedEntry entry, Cursor cursor) {
        if (entry.seq() < cursor.expectedSeq) {
            return new BrokenLink(entry.seq(), entry.content().id(), "duplicate-sequence");
        }
        if (entry.seq() > cursor.expectedSeq) {
            return new BrokenLink(cursor.expectedSeq, null, "missing-entry");
        }
        if (!Arrays.equals(entry.prevHash(), cursor.prevHash)) {
            return new BrokenLink(entry.seq(), entry.content().id(), "previous-hash-mismatch");
        }
        byte[] recomputed = ChainHasher.hash(entry.seq(), entry.recordedAt(), entry.content(), entry.prevHash());
        if (!Arrays.equals(recomputed, entry.hash())) {
            return new BrokenLink(entry.seq(), entry.content().id(), "content-hash-mismatch");
        }
        return null;
    }

    private VerificationReport finish(Range range, Cursor cursor) {
        long lastChecked = cursor.expectedSeq - 1;
        if (lastChecked < range.toSeq) {
            return broken(range, cursor.checked, new BrokenLink(cursor.expectedSeq, null, "missing-entry"));
        }
        if (range.openEnd && (range.headSeq != lastChecked || !Arrays.equals(range.headHash, cursor.prevHash))) {
            return broken(range, cursor.checked, new BrokenLink(lastChecked + 1, null, "head-mismatch"));
        }
        return new VerificationReport(true, cursor.checked, range.fromSeq, range.toSeq, range.headSeq, null);
    }

    private static VerificationReport broken(Range range, long checked, BrokenLink link) {
        return new VerificationReport(false, checked, range.fromSeq, range.toSeq, range.headSeq, link);
    }

    private record Range(
            Long fromSeq,
            Long toSeq,
            long headSeq,
            byte[] headHash,
            long prunedSeq,
            byte[] prunedHash,
            boolean openStart,
            boolean openEnd) {}

    private record Cursor(long expectedSeq, byte[] prevHash, long checked) {}
}
