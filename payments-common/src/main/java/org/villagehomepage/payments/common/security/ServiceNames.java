package org.villagehomepage.payments.common.security;

import java.util.List;
import java.util.regex.Pattern;

/** The services of the suite, by the name each one signs and receives service tokens with. */
public final class ServiceNames {

    public static final String CHECKOUT = "checkout-service";
    public static final String WEBHOOK = "webhook-service";
    public static final String REFUND = "refund-service";
    public static final String AUDIT = "audit-service";
    public static final List<String> ALL = List.of(CHECKOUT, WEBHOOK, REFUND, AUDIT);

    /** What a sender name may look like; it also names a key file, so nothing else is accepted. */
    static final Pattern VALID = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    private ServiceNames() {}

    /** The audience of messages for an outbox destination: {@code audit} -> {@code audit-service}. */
    public static String audienceOf(String destination) {
        return destination.endsWith("-service") ? destination : destination + "-service";
    }
}
