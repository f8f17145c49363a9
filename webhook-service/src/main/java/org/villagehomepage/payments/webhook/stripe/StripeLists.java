package org.villagehomepage.payments.webhook.stripe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.StripeClient;
import com.stripe.net.ApiResource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.villagehomepage.payments.common.stripe.StripeCalls;

/**
 * Pages of Stripe list endpoints as raw JSON, through the injected StripeClient. Raw, because the
 * objects travel on (events to checkout/refund) and must stay as Stripe returned them, with fields
 * this stripe-java version does not model.
 */
@ApplicationScoped
public class StripeLists {

    private final StripeClient stripe;
    private final StripeCalls calls;
    private final ObjectMapper mapper;

    public StripeLists(StripeClient stripe, StripeCalls calls, ObjectMapper mapper) {
        this.stripe = stripe;
        this.calls = calls;
        this.mapper = mapper;
    }

    public record Page(List<JsonNode> data, boolean hasMore) {

        public String lastId() {
            return data.isEmpty() ? null : data.get(data.size() - 1).path("id").asText(null);
        }
    }

    /** One page of {@code path} (newest first); a read, so retries need no idempotency key. */
    public Uni<Page> page(String what, String path, List<Map.Entry<String, String>> params) {
        String url = path + "?" + query(params);
        return calls.call(what, () -> stripe.rawRequest(ApiResource.RequestMethod.GET, url, null))
                .map(response -> parse(response.body()));
    }

    /** One object (e.g. {@code /v1/payment_intents/pi_...}) as raw JSON; empty when Stripe answers 404. */
    public Uni<java.util.Optional<JsonNode>> object(String what, String path) {
        return calls.call(what, () -> stripe.rawRequest(ApiResource.RequestMethod.GET, path, null))
                .map(response -> {
                    if (response.code() == 404) {
                        return java.util.Optional.<JsonNode>empty();
                    }
                    try {
                        return java.util.Optional.of(mapper.readTree(response.body()));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("Stripe answered an object that is not JSON", e);
                    }
                })
                .onFailure(e -> e instanceof com.stripe.exception.InvalidRequestException invalid
                        && Integer.valueOf(404).equals(invalid.getStatusCode()))
                .recoverWithItem(java.util.Optional.empty());
    }

    public String json(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stripe object is not serializable", e);
        }
    }

    private Page parse(String body) {
        try {
            JsonNode root = mapper.readTree(body);
            List<JsonNode> data = new ArrayList<>();
            root.path("data").forEach(data::add);
            return new Page(data, root.path("has_more").asBoolean(false));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stripe answered a list that is not JSON", e);
        }
    }

    private static String query(List<Map.Entry<String, String>> params) {
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> param : params) {
            if (query.length() > 0) {
                query.append('&');
            }
            query.append(URLEncoder.encode(param.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
        }
        return query.toString();
    }
}
