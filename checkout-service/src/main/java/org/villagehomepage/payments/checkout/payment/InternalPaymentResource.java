package org.villagehomepage.payments.checkout.payment;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.villagehomepage.payments.checkout.listing.ListingRepository;
import org.villagehomepage.payments.common.problem.ProblemException;

/** For webhook-service's disaster-recovery dry run: what checkout knows about a PaymentIntent. */
@Path("/internal/payments")
@PermitAll // a service endpoint: ServiceCallFilter admits only the senders in CheckoutAllowlist
@Produces(MediaType.APPLICATION_JSON)
public class InternalPaymentResource {

    private final PaymentRepository payments;
    private final ListingRepository listings;

    public InternalPaymentResource(PaymentRepository payments, ListingRepository listings) {
        this.payments = payments;
        this.listings = listings;
    }

    public record PaymentByIntent(UUID paymentId, String paymentIntentId, String purpose, String status, UUID listingId,
            String listingStatus, UUID userId, long amount, String currency) {
    }

    @GET
    @Path("/by-intent/{paymentIntentId}")
    @WithSession
    public Uni<PaymentByIntent> byIntent(@PathParam("paymentIntentId") @Pattern(regexp = "pi_[A-Za-z0-9_]{1,200}") String intentId) {
        return payments.findByIntent(intentId)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Payment"))
                .chain(p -> listings.findById(p.listingId).map(listing -> new PaymentByIntent(p.id, p.paymentIntentId,
                        p.purpose.value(), p.status.value(), p.listingId, listing.status.value(), p.userId, p.amount, p.currency)));
    }
}
