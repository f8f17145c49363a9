package org.villagehomepage.payments.webhook.recovery;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.villagehomepage.payments.common.outbox.OutboxSettings;
import org.villagehomepage.payments.common.security.ServiceNames;
import org.villagehomepage.payments.common.security.ServiceTokens;
import org.villagehomepage.payments.webhook.WebhookSettings;
import org.villagehomepage.payments.webhook.event.EventRoutes;

/**
 * refund-service's records of Stripe refunds ({@code GET /internal/refunds/by-stripe-refund/{re}},
 * service JWT), at the base URL the outbox uses for refund: disaster recovery's dry run.
 */
@ApplicationScoped
public class RefundRecords {

    private final WebClient http;
    private final OutboxSettings outbox;
    private final ServiceTokens tokens;
    private final long timeoutMillis;

    public RefundRecords(Vertx vertx, OutboxSettings outbox, ServiceTokens tokens, WebhookSettings settings) {
        this.http = WebClient.create(vertx);
        this.outbox = outbox;
        this.tokens = tokens;
        this.timeoutMillis = settings.recovery().checkoutTimeout().toMillis();
    }

    /** Whether refund-service has a request recording this Stripe refund. */
    public Uni<Boolean> knows(String stripeRefundId) {
        String base = outbox.destinations().get(EventRoutes.REFUND);
        if (base == null) {
            return Uni.createFrom().failure(new IllegalStateException("outbox.destinations.refund is not set"));
        }
        String url = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/internal/refunds/by-stripe-refund/" + URLEncoder.encode(stripeRefundId, StandardCharsets.UTF_8);
        return http.getAbs(url)
                .timeout(timeoutMillis)
                .putHeader("Authorization", tokens.bearer(ServiceNames.REFUND))
                .send()
                .map(response -> {
                    if (response.statusCode() == 404) {
                        return false;
                    }
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("refund-service answered HTTP " + response.statusCode());
                    }
                    return true;
                });
    }
}
