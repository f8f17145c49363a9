package org.villagehomepage.payments.webhook.signature;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The {@code Stripe-Signature} header parsed exactly as Stripe's Node library parses it: split on
 * {@code ,} then {@code =}, keys compared untrimmed, the last {@code t} wins, every {@code v1} kept,
 * other schemes ignored. The timestamp is read like JavaScript's {@code parseInt} (leading
 * whitespace and sign allowed, digits up to the first non-digit), because the signed payload is
 * built from that number, not from the header text.
 */
record SignatureHeader(OptionalLong timestamp, List<String> signatures) {

    static final String SCHEME = "v1";
    /** JavaScript numbers stay exact up to 2^53; beyond that Node would sign a rounded value. */
    private static final long MAX_EXACT = 9_007_199_254_740_991L;

    static SignatureHeader parse(String header) {
        OptionalLong timestamp = OptionalLong.empty();
        List<String> signatures = new ArrayList<>();
        for (String item : header.split(",", -1)) {
            String[] kv = item.split("=", -1);
            String value = kv.length > 1 ? kv[1] : null;
            if (kv[0].equals("t")) {
                timestamp = parseIntLikeJavaScript(value);
            } else if (kv[0].equals(SCHEME)) {
                signatures.add(value);
            }
        }
        return new SignatureHeader(timestamp, signatures);
    }

    /** Empty where JavaScript gives NaN, or -1 (the library's own "no timestamp" marker). */
    static OptionalLong parseIntLikeJavaScript(String text) {
        if (text == null) {
            return OptionalLong.empty();
        }
        int i = 0;
        while (i < text.length() && isJavaScriptSpace(text.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < text.length() && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            negative = text.charAt(i) == '-';
            i++;
        }
        long value = 0;
        int digits = 0;
        for (; i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++, digits++) {
            value = value * 10 + (text.charAt(i) - '0');
            if (value > MAX_EXACT) {
                return OptionalLong.empty();
            }
        }
        if (digits == 0) {
            return OptionalLong.empty();
        }
        long result = negative ? -value : value;
        return result == -1 ? OptionalLong.empty() : OptionalLong.of(result);
    }

    private static boolean isJavaScriptSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
    }
}
