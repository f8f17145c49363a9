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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.villagehomepage.payments.common.contract.PaymentOverview;
import org.villagehomepage.payments.common.contract.RestoredPayment;

/**
 * checkout-service's internal payment API as webhook-service reads it, with webhook-service's service
 * token for the audience checkout-service; base URL {@code quarkus.rest-client.checkout.url}, which
 * is the outbox's {@code outbox.destinations.checkout}. Answers other than 2xx fail with a
 * {@link jakarta.ws.rs.WebApplicationException}; {@link ServiceAnswers} maps them.
 */
@RegisterRestClient(configKey = "checkout")
@RegisterClientHeaders(ServiceTokenHeaders.Checkout.class)
@Path("/internal/payments")
@Produces(MediaType.APPLICATION_JSON)
public interface CheckoutClient {

    /** 404 when checkout has no payment for the intent. */
    @GET
    @Path("/by-intent/{paymentIntentId}")
    Uni<PaymentOverview> byIntent(@PathParam("paymentIntentId") String paymentIntentId);

    /** The payments of a listing or a user (the id is either), newest first. */
    @GET
    @Path("/by-subject/{id}")
    Uni<List<PaymentOverview>> bySubject(@PathParam("id") UUID id);

    /** Disaster recovery's rebuild; the body is a {@code payment_intent.succeeded} event as JSON text. */
    @POST
    @Path("/restore")
    @Consumes(MediaType.APPLICATION_JSON)
    Uni<RestoredPayment> restore(String event);

    /** Payments whose money checkout counts as captured, succeeded in [from, to) (ISO-8601). */
    @GET
    @Path("/captured")
    Uni<List<Captured>> captured(@QueryParam("from") String from, @QueryParam("to") String to);

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Captured(String paymentIntentId, long amount, String currency, Instant succeededAt, String status) {}
}
