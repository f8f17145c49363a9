package org.villagehomepage.payments.audit.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 4180 CSV of entries, safe to open in a spreadsheet: a cell starting with {@code = + - @},
 * tab or carriage return is prefixed with a quote so it is never evaluated as a formula.
 */
public final class CsvExport {

    static final List<String> HEADER = List.of(
            "seq",
            "id",
            "occurredAt",
            "recordedAt",
            "receivedFrom",
            "service",
            "action",
            "outcome",
            "actorType",
            "actorId",
            "listingId",
            "paymentIntentId",
            "refundId",
            "amount",
            "currency",
            "requestId",
            "sourceIp",
            "details",
            "prevHash",
            "hash");

    private CsvExport() {}

    public static String of(List<EntryView> entries, ObjectMapper json) {
        StringBuilder out = new StringBuilder();
        line(out, HEADER);
        for (EntryView e : entries) {
            line(
                    out,
                    Arrays.asList(
                            String.valueOf(e.seq()),
                            e.id().toString(),
                            String.valueOf(e.occurredAt()),
                            String.valueOf(e.recordedAt()),
                            e.receivedFrom(),
                            e.service(),
                            e.action(),
                            e.outcome(),
                            e.actorType(),
                            e.actorId(),
                            e.listingId(),
                            e.paymentIntentId(),
                            e.refundId(),
                            e.amount() == null ? null : e.amount().toString(),
                            e.currency(),
                            e.requestId(),
                            e.sourceIp(),
                            details(e, json),
                            e.prevHash(),
                            e.hash()));
        }
        return out.toString();
    }

    static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String safe = "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.indexOf(',') >= 0 || safe.indexOf('"') >= 0 || safe.indexOf('\n') >= 0 || safe.indexOf('\r') >= 0) {
            return '"' + safe.replace("\"", "\"\"") + '"';
        }
        return safe;
    }

    private static void line(StringBuilder out, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    private static String details(EntryView e, ObjectMapper json) {
        if (e.details() == null) {
            return null;
        }
        try {
            return json.writeValueAsString(e.details());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("details are not serializable", ex);
        }
    }
}
