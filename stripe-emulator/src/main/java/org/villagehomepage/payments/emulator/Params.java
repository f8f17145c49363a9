package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Typed reads of request parameters with Stripe's validation errors. */
final class Params {
    private Params() {}

    static String string(JsonNode p, String name) {
        JsonNode n = p.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isContainerNode()) {
            throw ApiException.invalidRequest("Invalid string: " + name, "parameter_invalid_string", name);
        }
        return n.asText();
    }

    static String requiredString(JsonNode p, String name) {
        String v = string(p, name);
        if (v == null || v.isEmpty()) {
            throw ApiException.missingParam(name);
        }
        return v;
    }

    static Long amount(JsonNode p, String name) {
        String v = string(p, name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        long amount;
        try {
            amount = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiException.invalidRequest("Invalid integer: " + v, "parameter_invalid_integer", name);
        }
        if (amount < 1) {
            throw ApiException.invalidRequest(
                    "This value must be greater than or equal to 1.", "parameter_invalid_integer", name);
        }
        return amount;
    }

    static long requiredAmount(JsonNode p, String name) {
        Long v = amount(p, name);
        if (v == null) {
            throw ApiException.missingParam(name);
        }
        return v;
    }

    static String currency(JsonNode p) {
        String c = requiredString(p, "currency").toLowerCase(Locale.ROOT);
        if (!c.matches("[a-z]{3}")) {
            throw ApiException.invalidRequest("Invalid currency: " + c + ".", "parameter_invalid_string", "currency");
        }
        return c;
    }

    static boolean bool(JsonNode p, String name) {
        String v = string(p, name);
        if (v == null) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false") || v.isEmpty()) {
            return false;
        }
        throw ApiException.invalidRequest("Invalid boolean: " + v, "parameter_invalid_boolean", name);
    }

    static Boolean optionalBool(JsonNode p, String name) {
        return p.hasNonNull(name) ? bool(p, name) : null;
    }

    static String oneOf(JsonNode p, String name, Set<String> allowed) {
        String v = string(p, name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (!allowed.contains(v)) {
            throw ApiException.invalidRequest(
                    "Invalid " + name + ": must be one of " + String.join(", ", allowed),
                    "parameter_invalid_string",
                    name);
        }
        return v;
    }

    /** A list param sent as x[]=, x[0]= or a single value. */
    static List<String> strings(JsonNode p, String name) {
        JsonNode n = p.get(name);
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        } else if (n.isObject()) {
            throw ApiException.invalidRequest("Invalid array: " + name, "parameter_invalid_array", name);
        } else if (!n.asText().isEmpty()) {
            out.add(n.asText());
        }
        return out;
    }

    static int limit(JsonNode p) {
        String v = string(p, "limit");
        if (v == null || v.isEmpty()) {
            return 10;
        }
        try {
            int limit = Integer.parseInt(v);
            if (limit >= 1 && limit <= 100) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error below
        }
        throw ApiException.invalidRequest(
                "Invalid limit: must be an integer between 1 and 100.", "parameter_invalid_integer", "limit");
    }

    /**
     * Stripe's metadata update rules: {@code metadata[k]=v} sets, {@code metadata[k]=} removes,
     * {@code metadata=} clears everything.
     */
    static void mergeMetadata(ObjectNode target, JsonNode p) {
        JsonNode m = p.get("metadata");
        if (m == null || m.isNull()) {
            return;
        }
        ObjectNode current = (ObjectNode) target.get("metadata");
        if (m.isTextual() && m.asText().isEmpty()) {
            current.removeAll();
            return;
        }
        if (!m.isObject()) {
            throw ApiException.invalidRequest("Invalid object: metadata", "parameter_invalid_object", "metadata");
        }
        m.fields().forEachRemaining(e -> {
            if (e.getValue().isContainerNode()) {
                throw ApiException.invalidRequest(
                        "Metadata values must be strings.", "parameter_invalid_string", "metadata[" + e.getKey() + "]");
            }
            String v = e.getValue().isNull() ? "" : e.getValue().asText();
            if (v.isEmpty()) {
                current.remove(e.getKey());
            } else {
                current.put(e.getKey(), v);
            }
        });
    }
}
