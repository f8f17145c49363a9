package org.villagehomepage.payments.audit.redaction;

import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.villagehomepage.payments.common.cards.CardNumbers;

/**
 * Removes what must never be stored (PCI DSS 3.3, 10.2.2) from free text before an audit entry is
 * sealed: card numbers, CVC-like values, PaymentIntent client secrets, Stripe API keys and
 * webhook secrets, webhook signature headers and whole JWTs. Each replaced value is counted.
 *
 * <p>Card numbers ({@link CardNumbers}, shared by the suite): a run of digits joined by separators
 * (spaces, dots, dashes, repeated) is redacted as a whole when it holds 13 or more digits and any 13-19 digit window of it passes the
 * Luhn check. Long digit runs are therefore usually redacted too: a PAN glued to other digits
 * (a PAN and its CVC, an expiry) must not survive, and the audit trail has no use for such runs.
 * Canonical UUIDs are not searched (see {@link #panFree}).
 */
public final class Redactor {

    private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    private static final Pattern SIGNATURE =
            Pattern.compile("\\bt=\\d+(?:\\s*,\\s*v\\d+=[A-Za-z0-9+/=_-]+)+|\\bv[01]=[0-9a-fA-F]{64}\\b");
    private static final Pattern CLIENT_SECRET = Pattern.compile("\\b(?:pi|seti|src)_[A-Za-z0-9]+_secret_[A-Za-z0-9]+");
    private static final Pattern API_KEY =
            Pattern.compile("\\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9_]+|\\bwhsec_[A-Za-z0-9+/=_-]+");
    private static final Pattern CVC =
            Pattern.compile("(?i)\\b(cvc2?|cvv2?|csc|security[ _-]?code)([\"']?\\s*[:=]\\s*[\"']?)(\\d{3,4})\\b");
    /** The suite's one card-number detector (payments-common), shared with every stored free-text field. */
    private static final Pattern DIGIT_RUN = CardNumbers.RUN;

    private static final Pattern UUID = CardNumbers.UUID;

    private Redactor() {}

    /** The text with every sensitive value replaced by its marker; null stays null. */
    public static String text(String value, Redaction redaction) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        String text = storable(value);
        text = replace(JWT, text, RedactionKind.JWT, redaction);
        text = replace(SIGNATURE, text, RedactionKind.SIGNATURE, redaction);
        text = replace(CLIENT_SECRET, text, RedactionKind.CLIENT_SECRET, redaction);
        text = replace(API_KEY, text, RedactionKind.API_KEY, redaction);
        text = replaceEach(
                CVC, text, m -> m.group(1) + m.group(2) + RedactionKind.CVC.marker(), RedactionKind.CVC, redaction);
        return panFree(text, redaction);
    }

    /**
     * Details: keys are cleaned like any text; a value whose key names a secret (cvc, client
     * secret, api key, signature, token) is replaced whole, whatever it looks like.
     */
    public static SortedMap<String, String> details(Map<String, String> details, Redaction redaction) {
        if (details == null) {
            return null;
        }
        SortedMap<String, String> clean = new TreeMap<>();
        for (Map.Entry<String, String> detail : details.entrySet()) {
            String key = text(detail.getKey(), redaction);
            RedactionKind sensitive = sensitiveKey(detail.getKey());
            String value = detail.getValue();
            if (sensitive != null && value != null && !value.isEmpty()) {
                redaction.count(sensitive);
                value = sensitive.marker();
            } else {
                value = text(value, redaction);
            }
            String unique = key;
            for (int n = 2; clean.containsKey(unique); n++) {
                unique = key + "#" + n;
            }
            clean.put(unique, value);
        }
        return clean;
    }

    /** The kind of secret a details key names, or null. */
    static RedactionKind sensitiveKey(String key) {
        String k = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (k.contains("cvc")
                || k.contains("cvv")
                || k.equals("csc")
                || k.contains("securitycode")
                || k.contains("verificationcode")) {
            return RedactionKind.CVC;
        }
        if (k.contains("clientsecret")) {
            return RedactionKind.CLIENT_SECRET;
        }
        if (k.endsWith("signature") || k.equals("signatureheader")) {
            return RedactionKind.SIGNATURE;
        }
        if (k.equals("authorization") || k.endsWith("token") || k.equals("jwt")) {
            return RedactionKind.JWT;
        }
        if (k.contains("apikey")
                || k.endsWith("secret")
                || k.endsWith("secretkey")
                || k.contains("password")
                || k.contains("privatekey")) {
            return RedactionKind.API_KEY;
        }
        return null;
    }

    /**
     * Canonical UUIDs (the suite's listing, user, payment and request ids) are kept whole: their
     * dash-joined digit groups can hold a Luhn-valid window, and a card number is never written as
     * 8-4-4-4-12 hex groups. Only the text between them is searched for card numbers.
     */
    private static String panFree(String text, Redaction redaction) {
        Matcher uuid = UUID.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        int last = 0;
        while (uuid.find()) {
            out.append(digitRunsFree(text.substring(last, uuid.start()), redaction))
                    .append(uuid.group());
            last = uuid.end();
        }
        if (last == 0) {
            return digitRunsFree(text, redaction);
        }
        return out.append(digitRunsFree(text.substring(last), redaction)).toString();
    }

    private static String digitRunsFree(String text, Redaction redaction) {
        return replaceEach(
                DIGIT_RUN,
                text,
                m -> holdsPan(m.group()) ? RedactionKind.PAN.marker() : null,
                RedactionKind.PAN,
                redaction);
    }

    /** True when the run's digits contain a Luhn-valid window of 13 to 19 digits. */
    static boolean holdsPan(String run) {
        return CardNumbers.holdsPan(run);
    }

    /** Postgres text cannot hold NUL, and lone surrogates cannot be encoded: both become U+FFFD. */
    private static String storable(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean bad = c == '\0'
                    || Character.isHighSurrogate(c)
                            && (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)));
            if (bad && out == null) {
                out = new StringBuilder(value.substring(0, i));
            }
            if (out != null) {
                out.append(bad ? '\uFFFD' : c);
            }
        }
        return out == null ? value : out.toString();
    }

    private static String replace(Pattern pattern, String text, RedactionKind kind, Redaction redaction) {
        return replaceEach(pattern, text, m -> kind.marker(), kind, redaction);
    }

    /** Replaces each match by what {@code replacement} returns; null keeps the match as it is. */
    private static String replaceEach(
            Pattern pattern,
            String text,
            Function<Matcher, String> replacement,
            RedactionKind kind,
            Redaction redaction) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            String replaced = replacement.apply(m);
            if (replaced == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            out.append(text, last, m.start()).append(replaced);
            last = m.end();
            redaction.count(kind);
        }
        if (out == null) {
            return text;
        }
        return out.append(text, last, text.length()).toString();
    }
}
