package org.villagehomepage.payments.audit.chain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;

/**
 * SHA-256 over a canonical serialization of an entry: a JSON object with a fixed field order,
 * details sorted by key, instants as ISO-8601 UTC at microsecond precision, and the previous
 * entry's hash. Changing any stored field, the order, or the link changes the hash.
 */
public final class ChainHasher {

    /** The previous hash of the very first entry. */
    public static final byte[] GENESIS = new byte[32];

    private static final JsonFactory JSON = new JsonFactory();
    private static final int VERSION = 1;

    private ChainHasher() {}

    public static byte[] hash(long seq, Instant recordedAt, EntryContent c, byte[] prevHash) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical(seq, recordedAt, c, prevHash));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    public static String hex(byte[] hash) {
        return hash == null ? null : HexFormat.of().formatHex(hash);
    }

    static byte[] canonical(long seq, Instant recordedAt, EntryContent c, byte[] prevHash) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeNumberField("seq", seq);
            g.writeStringField("id", c.id().toString());
            g.writeStringField("recordedAt", instant(recordedAt));
            g.writeStringField("occurredAt", instant(c.occurredAt()));
            g.writeStringField("receivedFrom", c.receivedFrom());
            g.writeStringField("service", c.service());
            g.writeStringField("action", c.action());
            g.writeStringField("outcome", c.outcome());
            g.writeStringField("actorType", c.actorType());
            g.writeStringField("actorId", c.actorId());
            g.writeStringField("listingId", c.listingId());
            g.writeStringField("paymentIntentId", c.paymentIntentId());
            g.writeStringField("refundId", c.refundId());
            if (c.amount() == null) {
                g.writeNullField("amount");
            } else {
                g.writeNumberField("amount", c.amount());
            }
            g.writeStringField("currency", c.currency());
            g.writeStringField("requestId", c.requestId());
            g.writeStringField("sourceIp", c.sourceIp());
            if (c.details() == null) {
                g.writeNullField("details");
            } else {
                g.writeObjectFieldStart("details");
                for (Map.Entry<String, String> detail : c.details().entrySet()) {
                    g.writeStringField(detail.getKey(), detail.getValue());
                }
                g.writeEndObject();
            }
            g.writeStringField("prevHash", hex(prevHash));
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String instant(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MICROS));
    }
}
