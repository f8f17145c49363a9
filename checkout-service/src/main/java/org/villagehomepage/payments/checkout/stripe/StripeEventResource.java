package org.villagehomepage.payments.checkout.stripe;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.payment.PaymentMetrics;
import org.villagehomepage.payments.common.security.ServiceCaller;

/**
 * Stripe events relayed by webhook-service (already signature-checked there), body exactly as
 * Stripe sent it. 2xx for applied, repeated and ignored events (other types, intents checkout did
 * not create); 4xx only for a body that is not a Stripe event (it lands in webhook-service's dead list).
 */
@Path("/internal/stripe-events")
@PermitAll // a service endpoint: ServiceCallFilter admits only the senders in CheckoutAllowlist
public class StripeEventResource {

    private static final Logger LOG = Logger.getLogger(StripeEventResource.class);

    private final PaymentEventService events;
    private final PaymentMetrics metrics;
    private final ObjectMapper mapper;

    public StripeEventResource(PaymentEventService events, PaymentMetrics metrics, ObjectMapper mapper) {
        this.events = events;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    public record Applied(String eventId, String outcome) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Applied> receive(String body, @Context SecurityContext security) {
        String sender = ServiceCaller.of(security);
        StripeEvent event = StripeEvent.parse(StripeEvent.read(mapper, body));
        LOG.infof("Processing Stripe event: eventId=%s, type=%s", event.id(), event.type());
        return events.apply(event, sender).invoke(this::count).map(result -> new Applied(event.id(), result.outcome()));
    }

    /** After commit: a retried delivery of a rolled-back attempt is counted once. */
    private void count(EventResult result) {
        switch (result.outcome()) {
            case EventResult.SUCCEEDED -> metrics.succeeded(result.purpose(), result.amount(), result.currency());
            case EventResult.FAILED, EventResult.CANCELED -> metrics.failed(result.purpose());
            case EventResult.AMOUNT_MISMATCH -> metrics.amountMismatch(result.purpose());
            default -> {}
        }
    }
}
