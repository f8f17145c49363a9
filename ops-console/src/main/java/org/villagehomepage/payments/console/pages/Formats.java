package org.villagehomepage.payments.console.pages;

import io.quarkus.qute.TemplateExtension;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Set;

/** Template helpers: {fmt:money(amount, currency)}. */
@TemplateExtension(namespace = "fmt")
public final class Formats {

    /** Stripe's zero-decimal currencies: the minor unit is the unit. */
    private static final Set<String> ZERO_DECIMAL = Set.of(
            "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof",
            "xpf");

    private Formats() {}

    /** Integer minor units as the amount a person reads, e.g. 500 usd -> "5.00 USD". */
    static String money(Object amount, Object currency) {
        if (!(amount instanceof Number n)) {
            return "";
        }
        String code = currency == null ? "" : currency.toString().toLowerCase(Locale.ROOT);
        BigDecimal value = BigDecimal.valueOf(n.longValue());
        if (!ZERO_DECIMAL.contains(code)) {
            value = value.movePointLeft(2);
        }
        return value.toPlainString() + (code.isEmpty() ? "" : " " + code.toUpperCase(Locale.ROOT));
    }
}
