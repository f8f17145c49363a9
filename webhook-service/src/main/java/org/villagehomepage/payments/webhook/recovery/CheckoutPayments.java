package org.villagehomepage.payments.webhook.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.villagehomepage.payments.common.outbox.OutboxSettings;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.security.ServiceTokens;
import org.villagehomepage.payments.webhook.WebhookSettings;
import org.villagehomepage.payments.webhook.event.EventRoutes;

/**
 * checkout-service's view of a payment ({@code GET /internal/payments/by-intent/{pi}}, service JWT),
 * at the base URL the outbox uses for checkout ({@code outbox.destinations.checkout}).
 */
@ApplicationScoped
public class CheckoutPayments {

    private final WebClient http;
    private final OutboxSettings outbox;
    private final ServiceTokens tokens;
    private final ObjectMapper mapper;
    private final long timeoutMillis;

    public CheckoutPayments(
            Vertx vertx, OutboxSettings outbox, ServiceTokens tokens, ObjectMapper mapper, WebhookSettings settings) {
        this.http = WebClient.create(vertx);
        this.outbox = outbox;
        this.tokens = tokens;
        this.mapper = mapper;
        this.timeoutMillis = settings.recovery().checkoutTimeout().toMillis();
    }

    /** The payment as checkout knows it, or empty when checkout has no payment for the intent (404). */
    public Uni<Optional<JsonNode>> byIntent(String paymentIntentId) {
        String base = outbox.destinations().get(EventRoutes.CHECKOUT);
        if (base == null) {
            return Uni.createFrom().failure(new IllegalStateException("outbox.destinations.checkout is not set"));
        }
        String url = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/internal/payments/by-intent/" + URLEncoder.encode(paymentIntentId, StandardCharsets.UTF_8);
        return http.getAbs(url)
                .timeout(timeoutMillis)
                .putHeader("Authorization", tokens.bearer(ServiceNames.CHECKOUT))
                .send()
                .map(response -> {
                    if (response.statusCode() == 404) {
                        return Optional.<JsonNode>empty();
                    }
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("checkout answered HTTP " + response.statusCode());
                    }
                    try {
                        return Optional.of(mapper.readTree(response.bodyAsString()));
                    } catch (Exception e) {
                        throw new IllegalStateException("checkout answered a body that is not JSON");
                    }
                });
    }

    /** The payments of a listing or a user ({@code GET /internal/payments/by-subject/{id}}), for the payment doctor. */
    public Uni<java.util.List<JsonNode>> bySubject(java.util.UUID id) {
        String base = outbox.destinations().get(EventRoutes.CHECKOUT);
        if (base == null) {
            return Uni.createFrom().failure(new IllegalStateException("outbox.destinations.checkout is not set"));
        }
        String url = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/internal/payments/by-subject/" + id;
        return http.getAbs(url)
                .timeout(timeoutMillis)
                .putHeader("Authorization", tokens.bearer(ServiceNames.CHECKOUT))
                .send()
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("checkout answered HTTP " + response.statusCode());
                    }
                    try {
                        java.util.List<JsonNode> all = new java.util.ArrayList<>();
                        mapper.readTree(response.bodyAsString()).forEach(all::add);
                        return all;
                    } catch (Exception e) {
                        throw new IllegalStateException("checkout answered a body that is not JSON");
                    }
                });
    }

    /**
     * Disaster recovery's rebuild ({@code POST /internal/payments/restore}): checkout re-creates what it
     * lacks of this {@code payment_intent.succeeded} event's payment and applies it; answers what it did.
     */
    public Uni<JsonNode> restore(String eventJson) {
        String base = outbox.destinations().get(EventRoutes.CHECKOUT);
        if (base == null) {
            return Uni.createFrom().failure(new IllegalStateException("outbox.destinations.checkout is not set"));
        }
        String url = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/internal/payments/restore";
        return http.postAbs(url)
                .timeout(timeoutMillis)
                .putHeader("Authorization", tokens.bearer(ServiceNames.CHECKOUT))
                .putHeader("Content-Type", "application/json")
                .sendBuffer(io.vertx.mutiny.core.buffer.Buffer.buffer(eventJson))
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException(
                                "checkout answered HTTP " + response.statusCode() + " to a restore");
                    }
                    try {
                        return mapper.readTree(response.bodyAsString());
                    } catch (Exception e) {
                        throw new IllegalStateException("checkout answered a body that is not JSON");
                    }
                });
    }
}
