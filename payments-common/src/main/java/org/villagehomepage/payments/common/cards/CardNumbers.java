package org.villagehomepage.payments.common.cards;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one card-number detector of the suite (PCI DSS 3.2: card numbers are never stored). A
 * candidate is a run of digits joined by separators: any mix of whitespace, dots and dashes,
 * repeated up to four at a time ("4242  4242", "4242.4242",
 * "4242 - 4242"). A run holds a card number when any 13-19 digit window of its digits passes the
 * Luhn check, so a number glued to other digits (a CVC, an expiry) is found too; over-detecting a
 * long digit run in free text is the safe side.
 */
public final class CardNumbers {

    /** A candidate run: digits joined by separators (for redactors that count what they replace). */
    public static final Pattern RUN = Pattern.compile("\\d(?:[\\s.\\-\\u00A0]{0,4}\\d)*+");
    /**
     * A canonical UUID (the suite's listing, user, payment and request ids): its dash-joined digit
     * groups can hold a Luhn-valid window, but a card number is never written as 8-4-4-4-12 hex
     * groups, so UUIDs are never taken for card numbers.
     */
    public static final Pattern UUID = Pattern.compile(
            "(?i)(?<![0-9a-z])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-z])");

    private CardNumbers() {}

    public static boolean containsPan(String text) {
        if (text == null) {
            return false;
        }
        Matcher matcher = RUN.matcher(withoutUuids(text));
        while (matcher.find()) {
            if (holdsPan(matcher.group())) {
                return true;
            }
        }
        return false;
    }

    /** UUIDs blanked out (same length, no digits), so only the text around them is searched. */
    private static String withoutUuids(String text) {
        return UUID.matcher(text).replaceAll(m -> "#".repeat(m.group().length()));
    }

    /** The text with every run holding a card number replaced by {@code marker}. */
    public static String replace(String text, String marker) {
        return replace(text, run -> marker);
    }

    /** Each run holding a card number replaced by what {@code replacement} makes of it. */
    public static String replace(String text, Function<String, String> replacement) {
        if (text == null) {
            return null;
        }
        Matcher matcher = RUN.matcher(text);
        StringBuilder out = new StringBuilder();
        boolean changed = false;
        while (matcher.find()) {
            if (holdsPan(matcher.group())) {
                matcher.appendReplacement(out, Matcher.quoteReplacement(replacement.apply(matcher.group())));
                changed = true;
            }
        }
        if (!changed) {
            return text;
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Free text to be stored: kept, with anything card-shaped replaced. */
    public static String redact(String text) {
        return replace(text, "[redacted]");
    }

    /** True when the run's digits contain a Luhn-valid window of 13 to 19 digits. */
    public static boolean holdsPan(String run) {
        String digits = run.replaceAll("[^0-9]", "");
        for (int start = 0; start + 13 <= digits.length(); start++) {
            for (int end = start + 13; end <= Math.min(digits.length(), start + 19); end++) {
                if (luhn(digits, start, end)) {
                    return true;
                }
            }
        }
        return false;
    }

    public static boolean luhn(String digits, int from, int to) {
        int sum = 0;
        boolean doubled = false;
        for (int i = to - 1; i >= from; i--) {
            int d = digits.charAt(i) - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }
}
