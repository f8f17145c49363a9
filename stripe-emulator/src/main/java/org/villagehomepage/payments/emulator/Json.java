package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;

/** One shared, thread-safe Jackson mapper and small tree helpers. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    static ObjectNode object() {
        return NODES.objectNode();
    }

    static ArrayNode array() {
        return NODES.arrayNode();
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }

    /**
     * Pretty output in Stripe's own layout ({@code "key": value}, two spaces per level, {@code {}} and
     * {@code []} when empty), so humans can read curl output. Written straight from the tree: Jackson's
     * pretty printer took a fifth of the emulator's CPU per PaymentIntent create (JFR, docs/benchmarks-history.md).
     */
    static String writePretty(JsonNode node) {
        StringBuilder out = new StringBuilder(2048);
        pretty(node, out, 0);
        return out.toString();
    }

    private static void pretty(JsonNode node, StringBuilder out, int depth) {
        switch (node.getNodeType()) {
            case OBJECT, ARRAY -> {
                boolean object = node.isObject();
                if (node.isEmpty()) {
                    out.append(object ? "{}" : "[]");
                    return;
                }
                out.append(object ? '{' : '[');
                // an object's values iterate in the order of its names
                Iterator<String> names = object ? node.fieldNames() : null;
                String separator = "\n";
                for (JsonNode value : node) {
                    out.append(separator);
                    separator = ",\n";
                    indent(out, depth + 1);
                    if (object) {
                        quote(names.next(), out);
                        out.append(": ");
                    }
                    pretty(value, out, depth + 1);
                }
                out.append('\n');
                indent(out, depth);
                out.append(object ? '}' : ']');
            }
            case STRING -> quote(node.textValue(), out);
            case NULL -> out.append("null");
            case BOOLEAN -> out.append(node.booleanValue());
            // integers (amounts, timestamps) as Jackson writes them; anything else through Jackson
            default -> out.append(node.isIntegralNumber() ? node.asText() : write(node));
        }
    }

    private static void indent(StringBuilder out, int depth) {
        for (int i = 0; i < depth; i++) {
            out.append("  ");
        }
    }

    private static void quote(String text, StringBuilder out) {
        out.append('"');
        if (plain(text)) {
            out.append(text); // one copy: ids, types and enums need no escaping
        } else {
            JsonStringEncoder.getInstance().quoteAsString(text, out);
        }
        out.append('"');
    }

    /** No character JSON escapes (Jackson's default: controls, quote, backslash; not non-ASCII). */
    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.invalidRequest("Invalid JSON body: " + e.getOriginalMessage(), null, null);
        }
    }
}
