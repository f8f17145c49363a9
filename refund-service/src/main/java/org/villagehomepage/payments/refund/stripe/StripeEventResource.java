package org.villagehomepage.payments.refund.stripe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.villagehomepage.payments.common.outbox.MessageKey;
import org.villagehomepage.payments.common.outbox.OutboxRelay;
import org.villagehomepage.payments.common.outbox.SqlOutbox;
import org.villagehomepage.payments.common.problem.ProblemException;
import org.villagehomepage.payments.common.problem.ProblemType;
import org.villagehomepage.payments.common.security.ServiceCaller;

/** Stripe events forwarded by webhook-service (already verified there), raw as Stripe sent them. */
@Path("/internal/stripe-events")
@PermitAll // a service endpoint: ServiceCallFilter admits only the senders in RefundAllowlist
public class StripeEventResource {

    public record Applied(String eventId, String outcome) {}

    private final StripeEvents events;
    private final ObjectMapper mapper;

    public StripeEventResource(StripeEvents events, ObjectMapper mapper) {
        this.events = events;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Applied> receive(
            String body,
            @HeaderParam(OutboxRelay.MESSAGE_ID_HEADER) String messageId,
            @Context SecurityContext security) {
        JsonNode event = parse(body);
        String eventId = event.path("id").asText("");
        if (!eventId.startsWith("evt_") || !event.path("data").path("object").isObject()) {
            throw new ProblemException(ProblemType.VALIDATION, "The body is not a Stripe event");
        }
        // Without a relay message id the event id is the deduplication key, as webhook-service derives it.
        String dedupKey = messageId != null && !messageId.isBlank()
                ? messageId
                : SqlOutbox.idFor("refund:" + eventId).toString();
        return events.apply(new MessageKey(ServiceCaller.of(security), dedupKey), event)
                .map(outcome -> new Applied(eventId, outcome.name().toLowerCase()));
    }

    private JsonNode parse(String body) {
        try {
            JsonNode node = body == null ? null : mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw new ProblemException(ProblemType.VALIDATION, "The body is not a Stripe event");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.MALFORMED_JSON, "The request body is not valid JSON");
        }
    }
}
