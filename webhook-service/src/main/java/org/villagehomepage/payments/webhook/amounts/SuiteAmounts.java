package org.villagehomepage.payments.webhook.amounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.villagehomepage.payments.common.outbox.OutboxSettings;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.security.ServiceTokens;
import org.villagehomepage.payments.webhook.WebhookSettings;
import org.villagehomepage.payments.webhook.event.EventRoutes;

/**
 * The suite's side of the money, over REST with the service JWT, at the outbox's base URLs:
 * checkout's captured payments ({@code GET /internal/payments/captured}) and the refund ledger's
 * refunded and disputed amounts ({@code POST /internal/ledger/amounts}).
 */
@ApplicationScoped
public class SuiteAmounts {

    public record Captured(String paymentIntentId, long amount, String currency, Instant succeededAt, String status) {}

    public record Ledger(long refunded, long disputed) {}

    private final WebClient http;
    private final OutboxSettings outbox;
    private final ServiceTokens tokens;
    private final ObjectMapper mapper;
    private final long timeoutMillis;

    public SuiteAmounts(
            Vertx vertx, OutboxSettings outbox, ServiceTokens tokens, ObjectMapper mapper, WebhookSettings settings) {
        this.http = WebClient.create(vertx);
        this.outbox = outbox;
        this.tokens = tokens;
        this.mapper = mapper;
        this.timeoutMillis = settings.recovery().checkoutTimeout().toMillis() * 6;
    }

    public Uni<List<Captured>> captured(Instant from, Instant to) {
        String url = base(EventRoutes.CHECKOUT) + "/internal/payments/captured?from=" + encode(from.toString()) + "&to="
                + encode(to.toString());
        return http.getAbs(url)
                .timeout(timeoutMillis)
                .putHeader("Authorization", tokens.bearer(ServiceNames.CHECKOUT))
                .send()
                .map(response -> {
                    JsonNode root = body("checkout", response);
                    return java.util.stream.StreamSupport.stream(root.spliterator(), false)
                            .map(n -> new Captured(
                                    n.path("paymentIntentId").asText(),
                                    n.path("amount").asLong(),
                                    n.path("currency").asText(),
                                    Instant.parse(n.path("succeededAt").asText()),
                                    n.path("status").asText()))
                            .toList();
                });
    }

    public Uni<Map<String, Ledger>> ledger(Collection<String> paymentIntentIds) {
        if (paymentIntentIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        String url = base(EventRoutes.REFUND) + "/internal/ledger/amounts";
        JsonObject body = new JsonObject().put("paymentIntentIds", List.copyOf(paymentIntentIds));
        return http.postAbs(url)
                .timeout(timeoutMillis)
                .putHeader("Authorization", tokens.bearer(ServiceNames.REFUND))
                .sendJsonObject(body)
                .map(response -> {
                    JsonNode root = body("refund", response);
                    Map<String, Ledger> all = new java.util.HashMap<>();
                    root.forEach(n -> all.put(
                            n.path("paymentIntentId").asText(),
                            new Ledger(
                                    n.path("refunded").asLong(),
                                    n.path("disputed").asLong())));
                    return all;
                });
    }

    private JsonNode body(String service, HttpResponse<Buffer> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(service + " answered HTTP " + response.statusCode());
        }
        try {
            return mapper.readTree(response.bodyAsString());
        } catch (Exception e) {
            throw new IllegalStateException(service + " answered a body that is not JSON");
        }
    }

    private String base(String destination) {
        String base = outbox.destinations().get(destination);
        if (base == null) {
            throw new IllegalStateException("outbox.destinations." + destination + " is not set");
        }
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
