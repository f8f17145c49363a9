package org.villagehomepage.payments.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our JSON carries the top-level fields of Stripe's official fixtures (fixtures3.json), bar documented omissions. */
class FixtureShapeTest {
    /** Fields we leave out on purpose (none today); extra fields we add are listed in EXTRA. */
    private static final Map<String, Set<String>> OMITTED = Map.of();
    /** Fields we add that the fixture lacks (e.g. "secret" on webhook endpoint create, Stripe's own create answer). */
    private static final Map<String, Set<String>> EXTRA = Map.of(
            "webhook_endpoint", Set.of("secret"),
            "charge", Set.of());

    static StripeEmulator emulator;
    static JsonNode fixtures;

    @BeforeAll
    static void start() throws Exception {
        emulator = StripeEmulator.start(EmulatorConfig.defaults());
        try (InputStream in = FixtureShapeTest.class.getResourceAsStream("/fixtures3.json")) {
            fixtures = Json.MAPPER.readTree(in).get("resources");
        }
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static void assertSameKeys(String resource, JsonNode ours) {
        Set<String> expected = new TreeSet<>();
        fixtures.get(resource).fieldNames().forEachRemaining(expected::add);
        expected.removeAll(OMITTED.getOrDefault(resource, Set.of()));
        Set<String> actual = new TreeSet<>();
        ours.fieldNames().forEachRemaining(actual::add);
        actual.removeAll(EXTRA.getOrDefault(resource, Set.of()));
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        assertTrue(missing.isEmpty(), resource + " lacks " + missing);
        assertTrue(extra.isEmpty(), resource + " has undocumented extra fields " + extra);
    }

    private static JsonNode ok(java.net.http.HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
        return Json.read(r.body());
    }

    @Test
    void objectsHaveTheFixtureFields() throws Exception {
        JsonNode endpoint = ok(EmulatorTestSupport.post(
                emulator, "/v1/webhook_endpoints", "url=http://127.0.0.1:9/hook&enabled_events[]=*", Map.of()));
        assertSameKeys("webhook_endpoint", endpoint);
        JsonNode pi = ok(EmulatorTestSupport.post(
                emulator,
                "/v1/payment_intents",
                "amount=1099&currency=usd&payment_method=pm_card_visa&confirm=true",
                Map.of()));
        assertSameKeys("payment_intent", pi);
        JsonNode charge = ok(EmulatorTestSupport.get(
                emulator, "/v1/charges/" + pi.get("latest_charge").asText()));
        assertSameKeys("charge", charge);
        JsonNode refund = ok(EmulatorTestSupport.post(
                emulator, "/v1/refunds", "payment_intent=" + pi.get("id").asText() + "&amount=100", Map.of()));
        assertSameKeys("refund", refund);
        JsonNode dispute = ok(EmulatorTestSupport.helper(
                emulator, "POST", "/_emulator/charges/" + charge.get("id").asText() + "/dispute", "{}"));
        assertSameKeys("dispute", dispute);
        JsonNode events = ok(EmulatorTestSupport.get(emulator, "/v1/events"));
        for (JsonNode event : events.get("data")) {
            assertSameKeys("event", event);
        }
        assertSameKeys(
                "dispute",
                ok(EmulatorTestSupport.get(
                        emulator, "/v1/disputes/" + dispute.get("id").asText())));
    }
}
