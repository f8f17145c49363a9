package org.villagehomepage.payments.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainAndParsingTest {

    @Test
    void mainReadsEnvironmentAndArguments() {
        Map<String, String> env = Map.of(
                "EMULATOR_PORT", "15000",
                "EMULATOR_SEED", "9",
                "EMULATOR_WEBHOOK_ENDPOINTS", "http://a.test/hook|whsec_a, http://b.test/hook|whsec_b1;whsec_b2",
                "EMULATOR_FAULTS", "{\"endpoints\":{\"*\":{\"latencyMs\":5}}}",
                "EMULATOR_DELIVERY_LOG", "123");
        EmulatorConfig config = Main.fromSettings(Main.settings(env, new String[] {"--port=0"}));
        assertEquals(0, config.port());
        assertEquals(9, config.seed());
        assertEquals(2, config.webhookEndpoints().size());
        assertEquals(List.of("whsec_a"), config.webhookEndpoints().get(0).secrets());
        assertEquals(
                List.of("whsec_b1", "whsec_b2"),
                config.webhookEndpoints().get(1).secrets());
        assertEquals(List.of("*"), config.webhookEndpoints().get(1).enabledEvents());
        assertEquals(Duration.ofSeconds(1), config.retryBase());
        assertEquals(Duration.ofSeconds(60), config.retryCap());
        assertEquals(Duration.ofHours(1), config.retryWindow());
        assertEquals(Duration.ofSeconds(5), config.deliveryTimeout());
        assertEquals(123, config.deliveryLogLimit());
        assertEquals(
                10_000,
                Main.fromSettings(Main.settings(Map.of(), new String[0])).deliveryLogLimit());
        try (StripeEmulator emulator = StripeEmulator.start(config)) {
            assertEquals(5, emulator.faults().endpoints().get("*").latencyMs());
            assertEquals("http://127.0.0.1:" + emulator.port(), emulator.apiBase());
        }
        assertEquals(
                EmulatorConfig.DEFAULT_MAIN_PORT,
                Main.fromSettings(Main.settings(Map.of(), new String[0])).port());
        assertThrows(
                IllegalArgumentException.class,
                () -> Main.fromSettings(Map.of("EMULATOR_FAULTS", "{\"endpoints\":{\"*\":{\"errorRate\":3}}}")));
    }

    @Test
    void prettyJsonHasStripesLayoutAndReadsBackToTheSameTree() throws Exception {
        assertEquals(
                "{\n  \"id\": \"pi_1\",\n  \"amount\": 1500,\n  \"metadata\": {},\n  \"charges\": [],\n"
                        + "  \"next\": null,\n  \"livemode\": false,\n  \"tags\": [\n    \"a\",\n    {\n      \"b\": true\n    }\n  ]\n}",
                Json.writePretty(
                        Json.read("{\"id\":\"pi_1\",\"amount\":1500,\"metadata\":{},\"charges\":[],\"next\":null,"
                                + "\"livemode\":false,\"tags\":[\"a\",{\"b\":true}]}")));
        ObjectNode tricky = Json.object();
        tricky.put("quotes", "say \"hi\" \\ back/slash");
        tricky.put("control", "line\nbreak\ttab\u0001bell");
        tricky.put("unicode", "café ✓ 😀 \u2028");
        tricky.put("big", Long.MAX_VALUE);
        tricky.put("negative", -42);
        tricky.put("fraction", 0.5);
        tricky.putArray("nested").addArray().addObject().putObject("deep").put("k", "v");
        String pretty = Json.writePretty(tricky);
        assertEquals(tricky, Json.MAPPER.readTree(pretty));
        assertEquals(tricky, Json.MAPPER.readTree(pretty.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void formParserBuildsNestedTrees() {
        ObjectNode p = FormParser.parse("amount=100&metadata%5Border_id%5D=o+1&expand[]=latest_charge&expand[]=customer"
                + "&payment_method_types[0]=card&payment_method_types[1]=link&automatic_payment_methods[enabled]=true"
                + "&created[gt]=5&shipping[address][line1]=510+Townsend");
        assertEquals("100", p.get("amount").asText());
        assertEquals("o 1", p.get("metadata").get("order_id").asText());
        assertEquals(List.of("latest_charge", "customer"), Params.strings(p, "expand"));
        assertEquals(List.of("card", "link"), Params.strings(p, "payment_method_types"));
        assertEquals("true", p.get("automatic_payment_methods").get("enabled").asText());
        assertEquals("5", p.get("created").get("gt").asText());
        assertEquals(
                "510 Townsend", p.get("shipping").get("address").get("line1").asText());
        assertEquals(FormParser.parse("b=2&a=1"), FormParser.parse("a=1&b=2"));
    }

    @Test
    void signatureMatchesStripesVectors() throws Exception {
        var vectors = Json.MAPPER.readTree(getClass().getResourceAsStream("/webhook-signature-vectors.json"));
        int checked = 0;
        for (var c : vectors.get("cases")) {
            if (!c.get("name").asText().equals("valid")) {
                continue;
            }
            String header = c.get("header").asText();
            long t = Long.parseLong(header.substring(2, header.indexOf(',')));
            assertEquals(
                    header,
                    WebhookSignature.header(
                            t,
                            c.get("payload").asText(),
                            List.of(c.get("secrets").get(0).asText())));
            checked++;
        }
        assertEquals(1, checked);
    }
}
