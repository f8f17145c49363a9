package org.villagehomepage.payments.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** RFC 9457 problem details, plus the request id and field errors as extension members. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        String requestId,
        Map<String, String> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** Slug of a framework refusal whose status has no type of its own (e.g. a 410 from JAX-RS). */
    static final String UNTYPED_SLUG = "error";

    public static Problem of(ProblemType type, String detail, String instance, String requestId) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, requestId, null);
    }

    static Problem untyped(int status, String detail, String instance, String requestId) {
        return new Problem(
                ProblemType.URN_PREFIX + UNTYPED_SLUG, title(status), status, detail, instance, requestId, null);
    }

    public Problem withErrors(Map<String, String> fieldErrors) {
        return new Problem(type, title, status, detail, instance, requestId, fieldErrors);
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
