package org.villagehomepage.payments.common.problem;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** A short, safe word for a failure, for logs and for the outbox's last error. */
public final class FailureKind {

    private FailureKind() {}

    public static String of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || String.valueOf(t.getMessage()).contains("Connection refused")) {
                return "connection refused";
            }
            if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return "timeout";
            }
            if (t.getClass().getName().startsWith("io.vertx.pgclient")
                    || t.getClass().getName().startsWith("org.hibernate")) {
                return "database error";
            }
            if (t instanceof java.io.IOException) {
                return "i/o error";
            }
        }
        return "unexpected error";
    }
}
