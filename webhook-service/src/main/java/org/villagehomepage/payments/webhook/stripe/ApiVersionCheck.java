package org.villagehomepage.payments.webhook.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.stripe.Stripe;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.common.stripe.StripeCalls;

/**
 * The API version is pinned (stripe-java's {@code Stripe.API_VERSION}, checked against
 * STRIPE_API_VERSION at start). Stripe shapes each webhook event in its endpoint's own api_version,
 * so at start webhook-service warns about every endpoint whose version differs from the client's:
 * events may then carry fields in another shape than the services read. A warning, not a refusal:
 * the endpoints are Stripe's configuration, and Stripe may be unreachable at start.
 */
@ApplicationScoped
public class ApiVersionCheck {

    private static final Logger LOG = Logger.getLogger(ApiVersionCheck.class);

    private final StripeLists stripe;

    public ApiVersionCheck(StripeLists stripe) {
        this.stripe = stripe;
    }

    void onStart(@Observes StartupEvent event) {
        if (LaunchMode.current() == LaunchMode.TEST) {
            return; // tests call mismatches() themselves
        }
        mismatches()
                .subscribe()
                .with(
                        found -> found.forEach(line -> LOG.warn(line)),
                        e -> LOG.warnf(
                                "Could not compare the webhook endpoints' API versions with the client's: %s",
                                StripeCalls.describe(e)));
    }

    /** One warning line per webhook endpoint whose api_version is set and differs from the client's. */
    public Uni<List<String>> mismatches() {
        return stripe.page("list webhook endpoints", "/v1/webhook_endpoints", List.of(Map.entry("limit", "100")))
                .map(page -> {
                    List<String> lines = new ArrayList<>();
                    for (JsonNode endpoint : page.data()) {
                        String version = endpoint.path("api_version").asText("");
                        if (!version.isEmpty() && !version.equals(Stripe.API_VERSION)) {
                            lines.add("Stripe webhook endpoint "
                                    + endpoint.path("id").asText() + " sends events in API version "
                                    + version + " but the client is pinned to " + Stripe.API_VERSION
                                    + ": update the endpoint's version in the Stripe Dashboard");
                        }
                    }
                    return lines;
                });
    }
}
