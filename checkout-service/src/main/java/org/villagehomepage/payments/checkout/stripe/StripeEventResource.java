package org.villagehomepage.payments.checkout.stripe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;
import org.villagehomepage.payments.checkout.payment.PaymentMetrics;
import org.villagehomepage.payments.common.problem.FailureKind;
import org.villagehomepage.payments.common.security.ServiceCaller;

/**
 * Stripe events relayed by webhook-service (already signature-checked there): one event exactly as
 * Stripe sent it, or a batch {@code {"events":[...]}} that the relay merged from several outbox
 * messages. Each event is applied once by its own id (the inbox); a batch in one transaction, or,
 * if that fails, each event in its own, so a batch retried after a partial failure changes only
 * what it had not applied. 2xx when every event was
 * applied, repeated or ignored (other types, intents checkout did not create); 4xx when one is not a
 * Stripe event (the relay then sends the batch's messages one by one, and that one lands in
 * webhook-service's dead list); 5xx when one could not be applied now (the relay retries the batch).
 */
@Path("/internal/stripe-events")
@PermitAll // a service endpoint: ServiceCallFilter admits only the senders in CheckoutAllowlist
public class StripeEventResource {

    private static final Logger LOG = Logger.getLogger(StripeEventResource.class);
    /** Events of one batch applied at once (each holds a pooled connection for its transaction). */
    private static final int BATCH_CONCURRENCY = 8;

    private final PaymentEventService events;
    private final PaymentMetrics metrics;
    private final ObjectMapper mapper;

    public StripeEventResource(PaymentEventService events, PaymentMetrics metrics, ObjectMapper mapper) {
        this.events = events;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    public record Applied(String eventId, String outcome) {}

    /** The answer to a batch, one entry per event in the order sent. */
    public record AppliedBatch(List<Applied> events) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponse(
            responseCode = "200",
            description = "One event: its outcome; a batch: each event's, in the order sent",
            content = @Content(schema = @Schema(oneOf = {Applied.class, AppliedBatch.class})))
    public Uni<Object> receive(String body, @Context SecurityContext security) {
        String sender = ServiceCaller.of(security);
        JsonNode json = StripeEvent.read(mapper, body);
        if (json.size() == 1 && json.get("events") instanceof ArrayNode batch) {
            // every event is checked before any is applied: a bad one refuses the batch as a whole
            List<StripeEvent> parsed = new ArrayList<>(batch.size());
            batch.forEach(event -> parsed.add(StripeEvent.parse(event)));
            return applyBatch(parsed, sender).map(AppliedBatch::new);
        }
        return apply(StripeEvent.parse(json), sender).map(Object.class::cast);
    }

    private Uni<Applied> apply(StripeEvent event, String sender) {
        LOG.infof("Processing Stripe event: eventId=%s, type=%s", event.id(), event.type());
        return events.apply(event, sender).invoke(this::count).map(result -> new Applied(event.id(), result.outcome()));
    }

    /**
     * The batch in one transaction; if that fails as a whole (nothing applied), each event in its own,
     * so one event that cannot be applied now does not hold back the others.
     */
    private Uni<List<Applied>> applyBatch(List<StripeEvent> batch, String sender) {
        batch.forEach(event -> LOG.infof("Processing Stripe event: eventId=%s, type=%s", event.id(), event.type()));
        // Only a failure of the transaction falls back: what follows its commit never re-runs the batch.
        return events.applyTogether(batch, sender).onItemOrFailure().transformToUni((results, e) -> {
            if (e != null) {
                LOG.infof(
                        "Batch of %d Stripe events not applied together (%s): applying each alone",
                        batch.size(), FailureKind.of(e));
                return applyEach(batch, sender);
            }
            List<Applied> applied = new ArrayList<>(results.size());
            for (int i = 0; i < results.size(); i++) {
                count(results.get(i));
                applied.add(new Applied(batch.get(i).id(), results.get(i).outcome()));
            }
            return Uni.createFrom().item(applied);
        });
    }

    /** Every event runs to its end (none is cancelled mid-transaction); the first failure then answers. */
    private Uni<List<Applied>> applyEach(List<StripeEvent> batch, String sender) {
        if (batch.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Applied[] applied = new Applied[batch.size()];
        Throwable[] failure = new Throwable[1];
        return Multi.createFrom()
                .range(0, batch.size())
                .onItem()
                .transformToUni(i -> apply(batch.get(i), sender)
                        .invoke(result -> applied[i] = result)
                        .replaceWithVoid()
                        .onFailure()
                        .recoverWithUni(e -> {
                            synchronized (failure) {
                                if (failure[0] == null) {
                                    failure[0] = e;
                                }
                            }
                            return Uni.createFrom().voidItem();
                        }))
                .merge(BATCH_CONCURRENCY)
                .collect()
                .last()
                .chain(() -> failure[0] != null
                        ? Uni.createFrom().failure(failure[0])
                        : Uni.createFrom().item(List.of(applied)));
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
