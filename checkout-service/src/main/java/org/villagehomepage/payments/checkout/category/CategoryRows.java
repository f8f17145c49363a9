package org.villagehomepage.payments.checkout.category;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Category rows on the reactive SQL client, on the caller's client (inside its transaction when it has one). */
public final class CategoryRows {

    private static final String COLUMNS = "id, slug, name, posting_fee, currency, updated_at";
    private static final String FIND = "SELECT " + COLUMNS + " FROM category WHERE id = $1";
    private static final String LOCK = FIND + " FOR UPDATE";
    private static final String LIST_BY_NAME = "SELECT " + COLUMNS + " FROM category ORDER BY name";
    private static final String UPDATE_FEE = "UPDATE category SET posting_fee = $2, updated_at = $3 WHERE id = $1";

    private CategoryRows() {}

    /** Null when there is none. */
    public static Uni<Category> find(SqlClient client, UUID id) {
        return client.preparedQuery(FIND).execute(Tuple.of(id)).map(CategoryRows::first);
    }

    /** Row-locked (SELECT ... FOR UPDATE); null when there is none. */
    static Uni<Category> lock(SqlClient client, UUID id) {
        return client.preparedQuery(LOCK).execute(Tuple.of(id)).map(CategoryRows::first);
    }

    static Uni<List<Category>> listByName(SqlClient client) {
        return client.preparedQuery(LIST_BY_NAME).execute().map(rows -> {
            List<Category> all = new ArrayList<>(rows.size());
            for (Row row : rows) {
                all.add(category(row));
            }
            return all;
        });
    }

    static Uni<Void> updateFee(SqlClient client, Category category) {
        return client.preparedQuery(UPDATE_FEE)
                .execute(Tuple.of(category.id, category.postingFee, category.updatedAt))
                .replaceWithVoid();
    }

    private static Category first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : category(rows.iterator().next());
    }

    private static Category category(Row row) {
        Category category = new Category();
        category.id = row.getUUID("id");
        category.slug = row.getString("slug");
        category.name = row.getString("name");
        category.postingFee = row.getLong("posting_fee");
        category.currency = row.getString("currency");
        category.updatedAt = row.getOffsetDateTime("updated_at");
        return category;
    }
}
