package org.villagehomepage.payments.audit;

import static io.restassured.RestAssured.given;

import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.config.ConfigProvider;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.testing.Tokens;

/** Test helpers: events as the wire carries them, intake calls, metrics, and a superuser connection. */
public final class AuditApi {

    private AuditApi() {}

    /** A valid event map (mutable) with a fresh id, occurring now. */
    public static Map<String, Object> event(String action, String outcome) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", UUID.randomUUID().toString());
        event.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        event.put("service", "checkout-service");
        event.put("action", action);
        event.put("outcome", outcome);
        event.put("actorType", "system");
        event.put("actorId", "system");
        return event;
    }

    /**
     * A Stripe-shaped id: {@code prefix_} and 24 random letters. Not random hex: about 0.75% of
     * {@code pi_<32 hex>} ids hold a Luhn-valid 13-19 digit run and are stored redacted (README,
     * redaction), so a query by the id finds nothing. Stripe's and the emulator's ids are base62.
     */
    public static String stripeId(String prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder(prefix).append('_');
        for (int i = 0; i < 24; i++) {
            int letter = random.nextInt(52);
            id.append((char) (letter < 26 ? 'A' + letter : 'a' + letter - 26));
        }
        return id.toString();
    }

    public static Map<String, Object> with(Map<String, Object> event, Object... keyValues) {
        for (int i = 0; i < keyValues.length; i += 2) {
            event.put((String) keyValues[i], keyValues[i + 1]);
        }
        return event;
    }

    /**
     * Posts as the service the events name (a service may only record its own events); a batch
     * naming several services goes as one batch per service, and the last answer is returned.
     */
    public static ValidatableResponse post(List<Map<String, Object>> events) {
        Map<String, List<Map<String, Object>>> bySender = new LinkedHashMap<>();
        for (Map<String, Object> event : events) {
            Object service = event.get("service");
            String sender =
                    service instanceof String name && ServiceNames.ALL.contains(name) ? name : ServiceNames.CHECKOUT;
            bySender.computeIfAbsent(sender, k -> new ArrayList<>()).add(event);
        }
        if (bySender.isEmpty()) {
            bySender.put(ServiceNames.CHECKOUT, events);
        }
        ValidatableResponse last = null;
        for (Map.Entry<String, List<Map<String, Object>>> batch : bySender.entrySet()) {
            last = postAs(batch.getKey(), batch.getValue());
        }
        return last;
    }

    public static ValidatableResponse postAs(String sender, List<Map<String, Object>> events) {
        return given().header("Authorization", Tokens.service(sender, ServiceNames.AUDIT))
                .contentType("application/json")
                .body(Map.of("events", events))
                .post("/internal/audit/events")
                .then();
    }

    @SafeVarargs
    public static ValidatableResponse post(Map<String, Object>... events) {
        return post(new ArrayList<>(Arrays.asList(events)));
    }

    /** The value of one Prometheus sample line, 0 if absent; e.g. {@code homepage_audit_redactions_total{kind="pan"}}. */
    public static double metric(String sample) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String line : text.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return 0;
    }

    /** A superuser connection to the test database (trust auth locally; PAYMENTS_TEST_SUPERUSER / PGPASSWORD otherwise). */
    public static Connection superuser() throws SQLException {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        String user = System.getenv().getOrDefault("PAYMENTS_TEST_SUPERUSER", "postgres");
        String password = System.getenv().getOrDefault("PGPASSWORD", "");
        Connection connection = DriverManager.getConnection(url, user, password);
        connection.createStatement().execute("SET search_path = audit");
        return connection;
    }
}
