package org.villagehomepage.payments.webhook.intake;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.villagehomepage.payments.common.http.RequestIds;

/**
 * Where Stripe's deliveries enter. No JWT: the Stripe-Signature over the raw body is the
 * authentication, so the body is taken as bytes, never through a JSON binding that would change it.
 */
@Path("/webhooks/stripe")
@PermitAll
public class StripeWebhookResource {

    public static final String SIGNATURE_HEADER = "Stripe-Signature";

    private final WebhookIntake intake;
    private final IntakeMetrics metrics;

    public StripeWebhookResource(WebhookIntake intake, IntakeMetrics metrics) {
        this.intake = intake;
        this.metrics = metrics;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Boolean>> receive(
            @HeaderParam(SIGNATURE_HEADER) String signature, byte[] body, HttpServerRequest request) {
        long start = System.nanoTime();
        String source = request.remoteAddress() == null
                ? "unknown"
                : request.remoteAddress().hostAddress();
        WebhookIntake.Delivery delivery = new WebhookIntake.Delivery(
                new String(body == null ? new byte[0] : body, StandardCharsets.UTF_8),
                signature,
                source,
                RequestIds.current());
        return intake.receive(delivery)
                .invoke(() -> metrics.acknowledged(start))
                .replaceWith(Map.of("received", true));
    }
}
