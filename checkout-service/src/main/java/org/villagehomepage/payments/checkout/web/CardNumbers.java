package org.villagehomepage.payments.checkout.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds card-number-shaped text (13 to 19 digits, optionally spaced or dashed, Luhn-valid). */
public final class CardNumbers {

    private static final Pattern CANDIDATE = Pattern.compile("\\d(?:[ -]?\\d){12,}");

    private CardNumbers() {
    }

    public static boolean containsPan(String text) {
        if (text == null) {
            return false;
        }
        Matcher matcher = CANDIDATE.matcher(text);
        while (matcher.find()) {
            String digits = matcher.group().replaceAll("[ -]", "");
            if (digits.length() <= 19 ? luhn(digits) : anyWindow(digits)) {
                return true;
            }
        }
        return false;
    }

    /** A run longer than any card may hide one at any offset (over-redacting long numbers is the safe side). */
    private static boolean anyWindow(String digits) {
        for (int start = 0; start + 13 <= digits.length(); start++) {
            for (int end = start + 13; end <= Math.min(digits.length(), start + 19); end++) {
                if (luhn(digits.substring(start, end))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Stored text from other services is kept, with anything card-shaped replaced. */
    public static String redact(String text) {
        return containsPan(text) ? "[redacted]" : text;
    }

    static boolean luhn(String digits) {
        int sum = 0;
        boolean doubled = false;
        for (int i = digits.length() - 1; i >= 0; i--) {
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
