package org.villagehomepage.payments.common;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.villagehomepage.payments.common.outbox.InboxGuard;
import org.villagehomepage.payments.common.security.ServiceCaller;

/** A receiver for the relay tests: counts deliveries and applications per message id. */
@Path("/internal/test-receiver")
@jakarta.inject.Singleton
public class TestReceiver {

    public final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    public final Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();
    public final AtomicInteger failuresLeft = new AtomicInteger();

    private final InboxGuard inbox;

    public TestReceiver(InboxGuard inbox) {
        this.inbox = inbox;
    }

    @POST
    @Path("/messages")
    @PermitAll // internal: ServiceCallFilter checks the sender against TestAllowlist
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    public Uni<Response> receive(@HeaderParam("X-Message-Id") String messageId, @Context SecurityContext security, String body) {
        deliveries.computeIfAbsent(messageId, k -> new AtomicInteger()).incrementAndGet();
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return Uni.createFrom().item(Response.status(503).build());
        }
        return inbox.firstDelivery(ServiceCaller.of(security), messageId).map(first -> {
            if (first) {
                applied.computeIfAbsent(messageId, k -> new AtomicInteger()).incrementAndGet();
            }
            return Response.noContent().build();
        });
    }

    public void reset() {
        deliveries.clear();
        applied.clear();
        failuresLeft.set(0);
    }
}
