package org.villagehomepage.payments.audit.retention;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which monthly partitions may go: those whose every entry is older than the horizon. The horizon
 * must be at least 12 months (PCI DSS 10.5.1), and no partition that ends within the last 12
 * months is ever dropped, whatever the horizon says.
 */
public final class RetentionPolicy {

    static final int MINIMUM_MONTHS = 12;
    private static final Pattern PARTITION = Pattern.compile("audit_entry_p(\\d{4})(\\d{2})");

    private final Period horizon;

    public RetentionPolicy(Period horizon) {
        if (horizon == null
                || horizon.isNegative()
                || horizon.toTotalMonths() + horizon.getDays() / 31 < MINIMUM_MONTHS) {
            throw new IllegalArgumentException(
                    "audit.retention.horizon must be at least P12M (PCI DSS 10.5.1), got " + horizon);
        }
        this.horizon = horizon;
    }

    public Period horizon() {
        return horizon;
    }

    /** Entries recorded before this instant are past the horizon. */
    public Instant cutoff(Instant now) {
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate byHorizon = today.minus(horizon);
        LocalDate byMinimum = today.minusMonths(MINIMUM_MONTHS);
        return (byHorizon.isBefore(byMinimum) ? byHorizon : byMinimum)
                .atStartOfDay(ZoneOffset.UTC)
                .toInstant();
    }

    /** True when the named partition ends at or before the cutoff. */
    public boolean expired(String partition, Instant now) {
        return month(partition)
                .map(month -> !month.plusMonths(1)
                        .atDay(1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant()
                        .isAfter(cutoff(now)))
                .orElse(false);
    }

    /** The month a partition holds, from its name ({@code audit_entry_pYYYYMM}). */
    static Optional<YearMonth> month(String partition) {
        Matcher m = PARTITION.matcher(partition);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
    }
}
