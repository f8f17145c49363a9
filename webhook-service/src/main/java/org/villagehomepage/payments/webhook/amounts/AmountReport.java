package org.villagehomepage.payments.webhook.amounts;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Stripe's money against the suite's for a period of UTC days: per day and currency, in total per
 * currency, and every payment whose captured, refunded or disputed amount differs. Minor units.
 */
public record AmountReport(
        LocalDate from,
        LocalDate to,
        Instant ranAt,
        int payments,
        List<Row> days,
        List<Row> totals,
        List<Difference> differences,
        int differenceCount) {

    /** Amounts of one day (or of the whole period when {@code day} is null) in one currency. */
    public record Row(LocalDate day, String currency, Amounts stripe, Amounts suite, boolean matches) {}

    public record Amounts(long captured, long refunded, long disputed) {

        Amounts plus(Amounts other) {
            return new Amounts(captured + other.captured, refunded + other.refunded, disputed + other.disputed);
        }
    }

    /** kind: captured | refunded | disputed. */
    public record Difference(
            LocalDate day,
            String kind,
            String paymentIntentId,
            String chargeId,
            String currency,
            long stripe,
            long suite,
            String note) {}

    public static final List<String> CSV_HEADER = List.of(
            "row",
            "day",
            "currency",
            "kind",
            "payment_intent_id",
            "charge_id",
            "stripe",
            "suite",
            "difference",
            "note");

    /** One table: a line per day, currency and kind, the totals, then every difference. */
    public String csv() {
        StringBuilder out = new StringBuilder(String.join(",", CSV_HEADER)).append('\n');
        for (Row row : days) {
            rowLines(out, "day", row);
        }
        for (Row row : totals) {
            rowLines(out, "total", row);
        }
        for (Difference d : differences) {
            line(
                    out,
                    "difference",
                    String.valueOf(d.day()),
                    d.currency(),
                    d.kind(),
                    d.paymentIntentId(),
                    d.chargeId(),
                    d.stripe(),
                    d.suite(),
                    d.note());
        }
        return out.toString();
    }

    private static void rowLines(StringBuilder out, String kind, Row row) {
        String day = row.day() == null ? "" : row.day().toString();
        line(
                out,
                kind,
                day,
                row.currency(),
                "captured",
                "",
                "",
                row.stripe().captured(),
                row.suite().captured(),
                "");
        line(
                out,
                kind,
                day,
                row.currency(),
                "refunded",
                "",
                "",
                row.stripe().refunded(),
                row.suite().refunded(),
                "");
        line(
                out,
                kind,
                day,
                row.currency(),
                "disputed",
                "",
                "",
                row.stripe().disputed(),
                row.suite().disputed(),
                "");
    }

    private static void line(
            StringBuilder out,
            String row,
            String day,
            String currency,
            String kind,
            String pi,
            String charge,
            long stripe,
            long suite,
            String note) {
        out.append(String.join(
                        ",",
                        row,
                        day,
                        cell(currency),
                        kind,
                        cell(pi),
                        cell(charge),
                        Long.toString(stripe),
                        Long.toString(suite),
                        Long.toString(stripe - suite),
                        cell(note)))
                .append('\n');
    }

    /** Values are ids, currencies and fixed notes; quoted anyway, and a leading formula character neutralised. */
    private static String cell(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String safe = "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
