package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A Stripe-shaped error: rendered as {"error":{type,code,message,param,...}} with the HTTP status. */
final class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final ObjectNode extra;

    ApiException(int status, String type, String code, String message, String param) {
        this(status, type, code, message, param, null);
    }

    ApiException(int status, String type, String code, String message, String param, ObjectNode extra) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.extra = extra;
    }

    static ApiException invalidRequest(String message, String code, String param) {
        return new ApiException(400, "invalid_request_error", code, message, param);
    }

    static ApiException missingParam(String param) {
        return invalidRequest("Missing required param: " + param + ".", "parameter_missing", param);
    }

    static ApiException notFound(String kind, String id, String param) {
        return new ApiException(
                404, "invalid_request_error", "resource_missing", "No such " + kind + ": '" + id + "'", param);
    }

    static ApiException unexpectedState(String message) {
        return invalidRequest(message, "payment_intent_unexpected_state", null);
    }

    int status() {
        return status;
    }

    ObjectNode body() {
        ObjectNode error = Json.object();
        error.put("type", type);
        error.put("code", code);
        error.put("message", getMessage());
        error.put("param", param);
        if (extra != null) {
            error.setAll(extra);
        }
        ObjectNode root = Json.object();
        root.set("error", error);
        return root;
    }
}
