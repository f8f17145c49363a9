package org.villagehomepage.payments.audit.chain;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** Mapping between {@code audit_entry} rows and {@link SealedEntry}; the one place that knows the columns. */
public final class EntryRows {

    public static final String COLUMNS = "seq, id, recorded_at, occurred_at, received_from, service, action, outcome, "
            + "actor_type, actor_id, listing_id, payment_intent_id, refund_id, amount, currency, request_id, source_ip, "
            + "details, prev_hash, hash";

    public static final String INSERT = "INSERT INTO audit_entry (" + COLUMNS + ") VALUES "
            + "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)";

    private EntryRows() {}

    public static SealedEntry from(Row row) {
        EntryContent content = new EntryContent(
                row.getUUID("id"),
                instant(row.getOffsetDateTime("occurred_at")),
                row.getString("received_from"),
                row.getString("service"),
                row.getString("action"),
                row.getString("outcome"),
                row.getString("actor_type"),
                row.getString("actor_id"),
                row.getString("listing_id"),
                row.getString("payment_intent_id"),
                row.getString("refund_id"),
                row.getLong("amount"),
                row.getString("currency"),
                row.getString("request_id"),
                row.getString("source_ip"),
                details(row.getValue("details")));
        return new SealedEntry(
                row.getLong("seq"),
                instant(row.getOffsetDateTime("recorded_at")),
                content,
                row.getBuffer("prev_hash").getBytes(),
                row.getBuffer("hash").getBytes());
    }

    public static Tuple tuple(SealedEntry entry) {
        EntryContent c = entry.content();
        List<Object> values = new ArrayList<>(20);
        values.add(entry.seq());
        values.add(c.id());
        values.add(offset(entry.recordedAt()));
        values.add(offset(c.occurredAt()));
        values.add(c.receivedFrom());
        values.add(c.service());
        values.add(c.action());
        values.add(c.outcome());
        values.add(c.actorType());
        values.add(c.actorId());
        values.add(c.listingId());
        values.add(c.paymentIntentId());
        values.add(c.refundId());
        values.add(c.amount());
        values.add(c.currency());
        values.add(c.requestId());
        values.add(c.sourceIp());
        values.add(c.details() == null ? null : new JsonObject(new LinkedHashMap<String, Object>(c.details())));
        values.add(Buffer.buffer(entry.prevHash()));
        values.add(Buffer.buffer(entry.hash()));
        return Tuple.from(values);
    }

    public static OffsetDateTime offset(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    public static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static SortedMap<String, String> details(Object value) {
        if (!(value instanceof JsonObject json)) {
            return null;
        }
        SortedMap<String, String> details = new TreeMap<>();
        for (String key : json.fieldNames()) {
            Object detail = json.getValue(key);
            details.put(key, detail == null ? null : detail.toString());
        }
        return details;
    }
}
