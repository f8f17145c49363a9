package org.villagehomepage.payments.audit.query;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;

/** Query parameters parsed into problem+json 400s instead of framework 404s. */
public final class Params {

    private Params() {}

    /** An ISO-8601 instant such as {@code 2026-01-31T10:00:00Z}, or null when absent. */
    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemType.VALIDATION, name + " must be an ISO-8601 instant");
        }
    }

    public static String text(String name, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > maxLength) {
            throw new ProblemException(ProblemType.VALIDATION, name + " is too long");
        }
        return value.trim();
    }

    public static int within(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ProblemException(ProblemType.VALIDATION, name + " must be between " + min + " and " + max);
        }
        return value;
    }
}
