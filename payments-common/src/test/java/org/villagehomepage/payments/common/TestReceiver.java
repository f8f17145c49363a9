package org.villagehomepage.payments.common;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.villagehomepage.payments.common.outbox.InboxGuard;

/** A receiver for the relay tests: counts deliveries and applications per message id. */
@Path("/test-receiver")
@jakarta.inject.Singleton
public class TestReceiver {

    public final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    public final Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();
    public final AtomicInteger failuresLeft = new AtomicInteger();

    private final InboxGuard inbox;

    public TestReceiver(InboxGuard inbox) {
        this.inbox = inbox;
    }

    public record Order(@NotBlank String item, @Positive long amount) {
    }

    @POST
    @Path("/messages")
    @RolesAllowed("service")
    @Consumes(MediaType.APPLICATION_JSON)
    @WithTransaction
    public Uni<Response> receive(@HeaderParam("X-Message-Id") String messageId, String body) {
        deliveries.computeIfAbsent(messageId, k -> new AtomicInteger()).incrementAndGet();
        if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return Uni.createFrom().item(Response.status(503).build());
        }
        return inbox.firstDelivery(messageId).map(first -> {
            if (first) {
                applied.computeIfAbsent(messageId, k -> new AtomicInteger()).incrementAndGet();
            }
            return Response.noContent().build();
        });
    }

    @POST
    @Path("/orders")
    @RolesAllowed("user")
    public Order order(@Valid Order order) {
        return order;
    }

    @GET
    @Path("/boom")
    public String boom() {
        throw new IllegalStateException("select * from secrets where password = 'hunter2'");
    }

    public void reset() {
        deliveries.clear();
        applied.clear();
        failuresLeft.set(0);
    }
}
