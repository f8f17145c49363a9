package org.villagehomepage.payments.common.logging;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The console format never prints throwables (no stack trace in any log line), which also hid why a
 * service failed to start: "Failed to start application" and nothing else. For Quarkus' own
 * start-up failure records only, this appends the root cause's message (no class name, no stack
 * trace, credentials masked) so an operator sees "database ... does not exist" or "port in use".
 */
@LoggingFilter(name = "startup-failure-reason")
public final class StartupFailureReason implements Filter {

    private static final Pattern SECRETS =
            Pattern.compile("(?i)(password=|sk_(live|test)_|rk_(live|test)_|whsec_)[^\\s&;,\"']*");
    private static final int MAX_REASON = 300;

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (thrown != null
                && record.getLoggerName() != null
                && record.getLoggerName().startsWith("io.quarkus.runtime")
                && record instanceof ExtLogRecord ext) {
            ext.setMessage(ext.getFormattedMessage() + ": " + reason(thrown), ExtLogRecord.FormatStyle.NO_FORMAT);
        }
        return true;
    }

    public static String reason(Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "no detail" : root.getMessage();
        message = SECRETS.matcher(message.replaceAll("\\s+", " ").strip()).replaceAll("$1***");
        return message.length() > MAX_REASON ? message.substring(0, MAX_REASON) + "..." : message;
    }
}
