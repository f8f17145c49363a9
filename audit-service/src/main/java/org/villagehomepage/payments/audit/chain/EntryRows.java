package org.villagehomepage.payments.audit.chain;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;

/** Mapping between {@code audit_entry} rows and {@link SealedEntry}; the one place that knows the columns. */
public final class EntryRows {

    public static final String COLUMNS = "seq, id, recorded_at, occurred_at, received_from, service, action, outcome, "
            + "actor_type, actor_id, listing_id, payment_intent_id, refund_id, amount, currency, request_id, source_ip, "
            + "details, prev_hash, hash";

    /** Every entry of a request in one statement: one array per column, in {@link #COLUMNS} order. */
    public static final String INSERT = "INSERT INTO audit_entry (" + COLUMNS + ") SELECT * FROM unnest("
            + "$1::bigint[], $2::uuid[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], "
            + "$8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::bigint[], $15::text[], "
            + "$16::text[], $17::text[], $18::text[]::jsonb[], $19::bytea[], $20::bytea[])";

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

    /** The arguments of {@link #INSERT}: one array per column, the entries in order. */
    public static Tuple tuple(List<SealedEntry> entries) {
        return Tuple.tuple()
                .addArrayOfLong(column(entries, SealedEntry::seq, Long[]::new))
                .addArrayOfUUID(column(entries, e -> e.content().id(), UUID[]::new))
                .addArrayOfOffsetDateTime(column(entries, e -> offset(e.recordedAt()), OffsetDateTime[]::new))
                .addArrayOfOffsetDateTime(
                        column(entries, e -> offset(e.content().occurredAt()), OffsetDateTime[]::new))
                .addArrayOfString(text(entries, EntryContent::receivedFrom))
                .addArrayOfString(text(entries, EntryContent::service))
                .addArrayOfString(text(entries, EntryContent::action))
                .addArrayOfString(text(entries, EntryContent::outcome))
                .addArrayOfString(text(entries, EntryContent::actorType))
                .addArrayOfString(text(entries, EntryContent::actorId))
                .addArrayOfString(text(entries, EntryContent::listingId))
                .addArrayOfString(text(entries, EntryContent::paymentIntentId))
                .addArrayOfString(text(entries, EntryContent::refundId))
                .addArrayOfLong(column(entries, e -> e.content().amount(), Long[]::new))
                .addArrayOfString(text(entries, EntryContent::currency))
                .addArrayOfString(text(entries, EntryContent::requestId))
                .addArrayOfString(text(entries, EntryContent::sourceIp))
                .addArrayOfString(text(
                        entries,
                        c -> c.details() == null
                                ? null
                                : new JsonObject(new LinkedHashMap<String, Object>(c.details())).encode()))
                .addValue(column(entries, e -> Buffer.buffer(e.prevHash()), Buffer[]::new))
                .addValue(column(entries, e -> Buffer.buffer(e.hash()), Buffer[]::new));
    }

    private static <T> T[] column(List<SealedEntry> entries, Function<SealedEntry, T> value, IntFunction<T[]> array) {
        return entries.stream().map(value).toArray(array);
    }

    private static String[] text(List<SealedEntry> entries, Function<EntryContent, String> value) {
        return column(entries, e -> value.apply(e.content()), String[]::new);
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
