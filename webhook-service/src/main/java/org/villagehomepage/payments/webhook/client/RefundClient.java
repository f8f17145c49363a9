package org.villagehomepage.payments.webhook.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * refund-service's internal API as webhook-service reads it, with webhook-service's service token for
 * the audience refund-service; base URL {@code quarkus.rest-client.refund.url}, which is the outbox's
 * {@code outbox.destinations.refund}. Answers other than 2xx fail with a
 * {@link jakarta.ws.rs.WebApplicationException}; {@link ServiceAnswers} maps them.
 */
@RegisterRestClient(configKey = "refund")
@RegisterClientHeaders(ServiceTokenHeaders.Refund.class)
@Path("/internal")
@Produces(MediaType.APPLICATION_JSON)
public interface RefundClient {

    /** 200 when refund-service has a request recording this Stripe refund, 404 when not; the body is not read. */
    @GET
    @Path("/refunds/by-stripe-refund/{refundId}")
    Uni<Void> byStripeRefund(@PathParam("refundId") String stripeRefundId);

    /** The refund ledger's refunded and disputed amounts of these PaymentIntents (those it has). */
    @POST
    @Path("/ledger/amounts")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<List<LedgerAmounts>> ledgerAmounts(LedgerQuery query);

    @RegisterForReflection
    record LedgerQuery(List<String> paymentIntentIds) {}

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record LedgerAmounts(String paymentIntentId, long refunded, long disputed) {}
}
