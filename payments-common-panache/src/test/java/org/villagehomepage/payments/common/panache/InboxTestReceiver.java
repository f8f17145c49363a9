package org.villagehomepage.payments.common.panache;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.villagehomepage.payments.common.security.ServiceAllowlist;
import org.villagehomepage.payments.common.security.ServiceCaller;
import org.villagehomepage.payments.common.security.ServiceNames;

/** A receiver as checkout and refund write one: InboxGuard in the Panache transaction that applies the message. */
@Path("/internal/test-receiver/messages")
@Singleton
public class InboxTestReceiver {

    final Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();

    private final InboxGuard inbox;

    public InboxTestReceiver(InboxGuard inbox) {
        this.inbox = inbox;
    }

    @POST
    @PermitAll // internal: ServiceCallFilter checks the sender against the allowlist below
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> receive(
            @HeaderParam("X-Message-Id") String messageId, @Context SecurityContext security, String body) {
        String sender = ServiceCaller.of(security);
        return Panache.withTransaction(() -> inbox.firstDelivery(sender, messageId))
                .map(first -> {
                    if (first) {
                        applied.computeIfAbsent(messageId, k -> new AtomicInteger())
                                .incrementAndGet();
                    }
                    return Response.noContent().build();
                });
    }

    /** Two senders: the test's own identity and checkout-service (a second sender for the per-sender tests). */
    @Produces
    @Singleton
    static ServiceAllowlist allowlist() {
        return ServiceAllowlist.builder()
                .allow("POST", "/internal/test-receiver/messages", "test-service", ServiceNames.CHECKOUT)
                .build();
    }
}
