package org.villagehomepage.payments.audit.query;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.villagehomepage.payments.audit.chain.EntryRows;

/** The investigation queries over the trail (their SQL conditions) and reading pages of them. */
@ApplicationScoped
public class EntryRepository {

    private final Pool pool;

    public EntryRepository(Pool pool) {
        this.pool = pool;
    }

    /** A listing's entries, plus those of its PaymentIntents and refunds, oldest first. */
    public EntryQuery listingTrail(String listingId) {
        return new EntryQuery("trail", Map.of("listingId", listingId), """
                listing_id = $1
                OR payment_intent_id IN (SELECT payment_intent_id FROM audit_entry WHERE listing_id = $1 AND payment_intent_id IS NOT NULL)
                OR refund_id IN (SELECT refund_id FROM audit_entry WHERE listing_id = $1 AND refund_id IS NOT NULL)""", List.of(listingId), EntryQuery.TIME_ORDER);
    }

    /** A PaymentIntent's entries, plus those of its refunds, oldest first. */
    public EntryQuery paymentIntentTrail(String paymentIntentId) {
        return new EntryQuery(
                "trail",
                Map.of("paymentIntentId", paymentIntentId),
                """
                payment_intent_id = $1
                OR refund_id IN (SELECT refund_id FROM audit_entry WHERE payment_intent_id = $1 AND refund_id IS NOT NULL)""",
                List.of(paymentIntentId),
                EntryQuery.TIME_ORDER);
    }

    /** What a user did or what was done about them since {@code since}, without investigators' own reads. */
    public EntryQuery userActivity(String userId, int days, Instant since) {
        return new EntryQuery(
                "user-activity",
                Map.of("userId", userId, "days", Integer.toString(days)),
                "(actor_id = $1 OR details ->> 'userId' = $1) AND occurred_at >= $2 AND action <> '"
                        + AccessRecorder.ACTION + "'",
                List.of(userId, since.atOffset(ZoneOffset.UTC)),
                EntryQuery.RECENT_FIRST);
    }

    /** Entries matching every given criterion, newest first. */
    public EntryQuery search(EntrySearch criteria) {
        Map<String, String> params = new LinkedHashMap<>();
        List<String> conditions = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        condition("action", criteria.action(), criteria.action(), "action = $", params, conditions, args);
        condition("outcome", criteria.outcome(), criteria.outcome(), "outcome = $", params, conditions, args);
        condition("service", criteria.service(), criteria.service(), "service = $", params, conditions, args);
        condition("actorId", criteria.actorId(), criteria.actorId(), "actor_id = $", params, conditions, args);
        if (criteria.from() != null) {
            condition(
                    "from",
                    criteria.from().toString(),
                    criteria.from().atOffset(ZoneOffset.UTC),
                    "occurred_at >= $",
                    params,
                    conditions,
                    args);
        }
        if (criteria.to() != null) {
            condition(
                    "to",
                    criteria.to().toString(),
                    criteria.to().atOffset(ZoneOffset.UTC),
                    "occurred_at < $",
                    params,
                    conditions,
                    args);
        }
        String where = conditions.isEmpty() ? "true" : String.join(" AND ", conditions);
        return new EntryQuery("entries", params, where, args, EntryQuery.RECENT_FIRST);
    }

    private static void condition(
            String name,
            String recorded,
            Object value,
            String sql,
            Map<String, String> params,
            List<String> conditions,
            List<Object> args) {
        if (value != null) {
            params.put(name, recorded);
            args.add(value);
            conditions.add(sql + args.size());
        }
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
