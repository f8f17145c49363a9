package org.villagehomepage.payments.common.http;

import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;

/**
 * The request id of the current request. It lives in the logging MDC, which Quarkus keeps in the
 * request's Vert.x context, so it follows the request through reactive pipelines.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private RequestIds() {}

    /** An incoming id is kept only if it is short and harmless (it ends up in logs). */
    public static String acceptOrCreate(String incoming) {
        return incoming != null && SAFE.matcher(incoming).matches()
                ? incoming
                : UUID.randomUUID().toString();
    }

    public static String current() {
        Object id = MDC.get(MDC_KEY);
        return id == null ? null : id.toString();
    }

    public static void set(String id) {
        MDC.put(MDC_KEY, id);
    }
}
