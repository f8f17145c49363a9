package org.villagehomepage.payments.audit.query;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.villagehomepage.payments.audit.chain.EntryRows;

/** Reads pages of audit entries for a query. */
@ApplicationScoped
public class EntryRepository {

    private final Pool pool;

    public EntryRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<EntryPage> page(EntryQuery query, int page, int size) {
        int n = query.args().size();
        List<Object> pageArgs = new ArrayList<>(query.args());
        pageArgs.add(size);
        pageArgs.add((long) page * size);
        Uni<Long> total = pool.preparedQuery("SELECT count(*) FROM audit_entry WHERE " + query.where())
                .execute(Tuple.from(query.args()))
                .map(rows -> rows.iterator().next().getLong(0));
        Uni<List<EntryView>> entries = pool.preparedQuery("SELECT " + EntryRows.COLUMNS + " FROM audit_entry WHERE "
                + query.where() + " ORDER BY " + query.orderBy() + " LIMIT $" + (n + 1) + " OFFSET $" + (n + 2))
                .execute(Tuple.from(pageArgs))
                .map(rows -> {
                    List<EntryView> views = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        views.add(EntryView.of(EntryRows.from(row)));
                    }
                    return views;
                });
        return Uni.combine().all().unis(total, entries).with((count, views) -> new EntryPage(page, size, count, views));
    }
}
