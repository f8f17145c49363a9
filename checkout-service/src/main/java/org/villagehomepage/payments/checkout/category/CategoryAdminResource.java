package org.villagehomepage.payments.checkout.category;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.villagehomepage.payments.checkout.web.Caller;
import org.villagehomepage.payments.common.money.MinorUnitsDeserializer;
import org.villagehomepage.payments.common.security.Roles;

/** Operators change a category's posting fee; every change is audited. */
@Path("/admin/api/marketplace/categories")
@RolesAllowed(Roles.SUPER_ADMIN)
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CategoryAdminResource {

    private final CategoryService categories;
    private final JsonWebToken jwt;

    public CategoryAdminResource(CategoryService categories, JsonWebToken jwt) {
        this.categories = categories;
        this.jwt = jwt;
    }

    /** @param postingFee minor units; 0 makes the category free */
    public record FeeChange(
            @JsonDeserialize(using = MinorUnitsDeserializer.class) @NotNull @PositiveOrZero @Max(100_000)
            Long postingFee) {}

    @PUT
    @Path("/{id}/fee")
    public Uni<CategoryView> changeFee(
            @PathParam("id") UUID id, @Valid @NotNull FeeChange change, @Context HttpServerRequest request) {
        return categories.changeFee(id, change.postingFee(), jwt.getSubject(), Caller.sourceIp(request));
    }
}
