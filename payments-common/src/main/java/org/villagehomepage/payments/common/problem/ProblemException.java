package org.villagehomepage.payments.common.problem;

import java.util.Map;

/**
 * The one domain exception of the suite. It carries what the client may see: a problem type
 * (slug and HTTP status) and a safe message. Anything else stays in the logs.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final Map<String, String> headers;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, Map.of());
    }

    public ProblemException(ProblemType type, String detail, Map<String, String> headers) {
        super(detail, null, false, false); // no stack trace: it is an expected outcome, not a bug
        this.type = type;
        this.headers = headers;
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " not found");
    }

    public ProblemType problemType() {
        return type;
    }

    public int status() {
        return type.status();
    }

    /** The slug of the problem type. */
    public String type() {
        return type.slug();
    }

    public Map<String, String> headers() {
        return headers;
    }
}
