package org.villagehomepage.payments.checkout.listing;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.villagehomepage.payments.checkout.payment.CheckoutGate;
import org.villagehomepage.payments.checkout.web.Caller;
import org.villagehomepage.payments.common.cards.NoCardNumber;
import org.villagehomepage.payments.common.security.Roles;

/** The frontend's listings: create one, read your own. */
@Path("/api/marketplace/listings")
@RolesAllowed(Roles.USER)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ListingResource {

    private final ListingService listings;
    private final CheckoutGate gate;
    private final JsonWebToken jwt;

    public ListingResource(ListingService listings, CheckoutGate gate, JsonWebToken jwt) {
        this.listings = listings;
        this.gate = gate;
        this.jwt = jwt;
    }

    public record NewListing(
            @NotNull UUID categoryId,
            @NotBlank @Size(max = 200) @NoCardNumber String title) {}

    @POST
    @ResponseStatus(201)
    public Uni<ListingView> create(@Valid @NotNull NewListing request, @Context HttpServerRequest http) {
        Caller caller = Caller.of(jwt, http);
        return gate.admitUser(caller, null, "create_listing")
                .chain(() -> listings.create(caller, request.categoryId(), request.title()));
    }

    @GET
    @Path("/{id}")
    public Uni<ListingView> get(@PathParam("id") UUID id, @Context HttpServerRequest http) {
        return listings.view(Caller.of(jwt, http), id);
    }
}
