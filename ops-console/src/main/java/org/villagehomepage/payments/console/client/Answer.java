package org.villagehomepage.payments.console.client;

/**
 * A service's answer: the HTTP status, the decoded JSON body (Maps, Lists and scalars, as the
 * templates read them) and, for a problem+json answer, its safe detail.
 */
public record Answer(int status, Object body, String problem, String total) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The message shown to the operator when the call failed. */
    public String error() {
        if (ok()) {
            return null;
        }
        if (status == 0) {
            return problem;
        }
        return "HTTP " + status + (problem == null ? "" : ": " + problem);
    }
}
