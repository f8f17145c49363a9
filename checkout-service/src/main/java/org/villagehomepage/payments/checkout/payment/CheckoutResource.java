package org.villagehomepage.payments.checkout.payment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.checkout.idempotency.ClientIdempotency;
import org.villagehomepage.payments.checkout.promotion.PromotionType;
import org.villagehomepage.payments.checkout.web.Caller;
import org.villagehomepage.payments.common.security.Roles;

/**
 * Paying for a listing: its posting fee, or a promotion. Prices come from the server only: the
 * checkout body is ignored whatever it says (an amount sent by a client changes nothing), and a
 * promote body carrying anything but the type is refused (unknown field).
 */
@Path("/api/marketplace/listings/{id}")
@RolesAllowed(Roles.USER)
@Produces(MediaType.APPLICATION_JSON)
public class CheckoutResource {

    private final CheckoutService checkout;
    private final JsonWebToken jwt;

    public CheckoutResource(CheckoutService checkout, JsonWebToken jwt) {
        this.checkout = checkout;
        this.jwt = jwt;
    }

    /** The checkout takes no input beyond the listing: any body, or none, is accepted and ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CheckoutRequest() {}

    public record PromoteRequest(@NotNull PromotionType type) {}

    @POST
    @Path("/checkout")
    public Uni<CheckoutAnswer> checkout(
            @PathParam("id") UUID id,
            @HeaderParam(ClientIdempotency.HEADER) String key,
            CheckoutRequest body,
            @Context HttpServerRequest http) {
        return checkout.checkout(Caller.of(jwt, http), id, PaymentPurpose.POSTING_FEE, key, "checkout:" + id);
    }

    @POST
    @Path("/promote")
    public Uni<CheckoutAnswer> promote(
            @PathParam("id") UUID id,
            @HeaderParam(ClientIdempotency.HEADER) String key,
            @Valid @NotNull PromoteRequest body,
            @Context HttpServerRequest http) {
        return checkout.checkout(
                Caller.of(jwt, http),
                id,
                body.type().purpose(),
                key,
                "promote:" + id + ":" + body.type().value());
    }
}
