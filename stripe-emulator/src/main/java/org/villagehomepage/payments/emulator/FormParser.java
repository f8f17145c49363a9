package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses Stripe's form encoding ({@code metadata[k]=v}, {@code expand[]=x}, {@code items[0][price]=p})
 * into a JSON tree, so handlers and idempotency comparison see the same structure whatever the
 * client's bracket style was.
 */
final class FormParser {
    private FormParser() {}

    static ObjectNode parse(String encoded) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (encoded != null && !encoded.isEmpty()) {
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                insert(root, segments(key), value);
            }
        }
        return (ObjectNode) toNode(root);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidRequest("Malformed form encoding.", null, null);
        }
    }

    /** "a[b][]" -> ["a", "b", ""]; an empty segment means "append". */
    private static List<String> segments(String key) {
        List<String> out = new ArrayList<>();
        int open = key.indexOf('[');
        if (open < 0 || !key.endsWith("]")) {
            out.add(key);
            return out;
        }
        out.add(key.substring(0, open));
        String rest = key.substring(open);
        int i = 0;
        while (i < rest.length()) {
            if (rest.charAt(i) != '[') {
                throw ApiException.invalidRequest("Malformed parameter name: " + key, null, key);
            }
            int close = rest.indexOf(']', i);
            if (close < 0) {
                throw ApiException.invalidRequest("Malformed parameter name: " + key, null, key);
            }
            out.add(rest.substring(i + 1, close));
            i = close + 1;
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void insert(Map<String, Object> container, List<String> path, String value) {
        Map<String, Object> current = container;
        for (int i = 0; i < path.size(); i++) {
            String seg = path.get(i);
            if (seg.isEmpty()) {
                // "[]" appends: use the next free numeric index of this container
                seg = String.valueOf(current.size());
            }
            boolean last = i == path.size() - 1;
            if (last) {
                current.put(seg, value);
            } else {
                Object next = current.get(seg);
                if (!(next instanceof Map)) {
                    next = new LinkedHashMap<String, Object>();
                    current.put(seg, next);
                }
                current = (Map<String, Object>) next;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static JsonNode toNode(Object value) {
        if (value instanceof String) {
            return Json.NODES.textNode((String) value);
        }
        Map<String, Object> map = (Map<String, Object>) value;
        if (!map.isEmpty() && map.keySet().stream().allMatch(k -> k.matches("\\d+"))) {
            ArrayNode array = Json.array();
            map.entrySet().stream()
                    .sorted((a, b) -> Integer.compare(Integer.parseInt(a.getKey()), Integer.parseInt(b.getKey())))
                    .forEach(e -> array.add(toNode(e.getValue())));
            return array;
        }
        ObjectNode node = Json.object();
        map.forEach((k, v) -> node.set(k, toNode(v)));
        return node;
    }
}
