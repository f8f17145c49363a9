package org.villagehomepage.payments.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** {@code expand[]=latest_charge}, {@code expand[]=data.payment_intent}, nested with dots. */
final class Expander {
    private Expander() {}

    /** Works on a copy; callers hold the ledger lock. */
    static ObjectNode expand(Ledger ledger, ObjectNode object, JsonNode params) {
        List<String> paths = Params.strings(params, "expand");
        if (paths.isEmpty()) {
            return object;
        }
        ObjectNode copy = object.deepCopy();
        for (String path : paths) {
            apply(ledger, copy, path.split("\\."), 0, path);
        }
        return copy;
    }

    private static void apply(Ledger ledger, JsonNode node, String[] path, int i, String full) {
        if (i >= path.length || node == null || !node.isObject()) {
            return;
        }
        ObjectNode obj = (ObjectNode) node;
        String field = path[i];
        if (field.equals("data") && obj.path("object").asText().equals("list")) {
            obj.path("data").forEach(item -> apply(ledger, item, path, i + 1, full));
            return;
        }
        JsonNode value = obj.get(field);
        if (value == null) {
            throw ApiException.invalidRequest("This property cannot be expanded (" + full + ").", null, "expand");
        }
        if (value.isTextual()) {
            ObjectNode target = ledger.findById(value.asText());
            if (target == null) {
                return;
            }
            obj.set(field, target.deepCopy());
            value = obj.get(field);
        }
        apply(ledger, value, path, i + 1, full);
    }
}
