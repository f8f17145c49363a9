package org.villagehomepage.payments.audit.detection;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

@ApplicationScoped
public class FindingRepository {

    private final Pool pool;

    public FindingRepository(Pool pool) {
        this.pool = pool;
    }

    /** Newest first; {@code rule} may be null for all rules. */
    public Uni<FindingPage> page(String rule, int page, int size) {
        Uni<Long> total = pool.preparedQuery("SELECT count(*) FROM finding WHERE ($1::text IS NULL OR rule = $1)")
                .execute(Tuple.of(rule))
                .map(rows -> rows.iterator().next().getLong(0));
        Uni<List<Finding>> findings = pool.preparedQuery("""
                SELECT id, rule, subject, window_start, window_end, observed, total, threshold, detected_at FROM finding
                WHERE ($1::text IS NULL OR rule = $1) ORDER BY detected_at DESC, id LIMIT $2 OFFSET $3""")
                .execute(Tuple.from(Arrays.asList(rule, size, (long) page * size)))
                .map(rows -> {
                    List<Finding> result = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        result.add(new Finding(
                                row.getUUID("id"),
                                row.getString("rule"),
                                row.getString("subject"),
                                row.getOffsetDateTime("window_start").toInstant(),
                                row.getOffsetDateTime("window_end").toInstant(),
                                row.getLong("observed"),
                                row.getLong("total"),
                                row.getLong("threshold"),
                                row.getOffsetDateTime("detected_at").toInstant()));
                    }
                    return result;
                });
        return Uni.combine()
                .all()
                .unis(total, findings)
                .with((count, list) -> new FindingPage(page, size, count, list));
    }
}
