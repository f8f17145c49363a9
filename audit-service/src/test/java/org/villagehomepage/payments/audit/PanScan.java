package org.villagehomepage.payments.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An independent check, written separately from the redactor: every run of digits joined by
 * single spaces or dashes, and every window of 13 to 19 of its digits that passes Luhn.
 */
public final class PanScan {

    private static final Pattern RUN = Pattern.compile("[0-9](?:[ -]?[0-9])*");

    private PanScan() {}

    public static List<String> luhnValidRuns(String text) {
        List<String> found = new ArrayList<>();
        // canonical UUIDs are ids, never card numbers as written (Redactor keeps them whole)
        Matcher m = RUN.matcher(text.replaceAll(
                "(?i)(?<![0-9a-z])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-z])", " "));
        while (m.find()) {
            String digits = m.group().replace(" ", "").replace("-", "");
            for (int start = 0; start < digits.length(); start++) {
                for (int end = start + 13; end <= Math.min(digits.length(), start + 19); end++) {
                    if (luhn(digits.substring(start, end))) {
                        found.add(digits.substring(start, end));
                    }
                }
            }
        }
        return found;
    }

    public static boolean luhn(String number) {
        int sum = 0;
        for (int i = 0; i < number.length(); i++) {
            int d = number.charAt(number.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    /** A Luhn-valid number: the prefix plus its check digit. */
    public static String card(String prefixWithoutCheckDigit) {
        for (int check = 0; check <= 9; check++) {
            if (luhn(prefixWithoutCheckDigit + check)) {
                return prefixWithoutCheckDigit + check;
            }
        }
        throw new IllegalStateException();
    }
}
