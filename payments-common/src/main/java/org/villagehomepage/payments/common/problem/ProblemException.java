package org.villagehomepage.payments.common.problem;

import java.util.Map;

/**
 * The one domain exception of the suite. It carries what the client may see: an HTTP status, a
 * stable problem type slug and a safe message. Anything else stays in the logs.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final Map<String, String> headers;

    public ProblemException(int status, String type, String detail) {
        this(status, type, detail, Map.of());
    }

    public ProblemException(int status, String type, String detail, Map<String, String> headers) {
        super(detail, null, false, false); // no stack trace: it is an expected outcome, not a bug
        this.status = status;
        this.type = type;
        this.headers = headers;
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(404, "not-found", what + " not found");
    }

    public static ProblemException conflict(String type, String detail) {
        return new ProblemException(409, type, detail);
    }

    public static ProblemException forbidden(String type, String detail) {
        return new ProblemException(403, type, detail);
    }

    public static ProblemException badRequest(String type, String detail) {
        return new ProblemException(400, type, detail);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
