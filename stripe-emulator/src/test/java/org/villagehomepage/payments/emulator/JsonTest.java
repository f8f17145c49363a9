package org.villagehomepage.payments.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void prettyOutputEscapesWhatJacksonEscapesAndReadsBackTheSame() throws Exception {
        ObjectNode node = Json.object()
                .put("id", "pi_3Qx")
                .put("quote", "say \"hi\"")
                .put("backslash", "C:\\stripe")
                .put("controls", "line\nnext\ttab\u0001")
                .put("unicode", "café ✓ 😀")
                .put("slash", "https://example.test/a/b");
        node.putArray("empty");
        node.putObject("nested").put("amount", 1500).putNull("description");

        String pretty = Json.writePretty(node);

        assertEquals(node, Json.MAPPER.readTree(pretty));
        assertEquals(
                "{\n  \"id\": \"pi_3Qx\",\n  \"quote\": \"say \\\"hi\\\"\",\n  \"backslash\": \"C:\\\\stripe\",\n"
                        + "  \"controls\": \"line\\nnext\\ttab\\u0001\",\n  \"unicode\": \"café ✓ 😀\",\n"
                        + "  \"slash\": \"https://example.test/a/b\",\n  \"empty\": [],\n"
                        + "  \"nested\": {\n    \"amount\": 1500,\n    \"description\": null\n  }\n}",
                pretty);
    }
}
